"""Waymark's benchmarks: each measures a subject against a baseline in the same run.

Run them with ``bin/bench`` (or ``.venv/bin/python -m bench``); see bench/README.md.
"""
