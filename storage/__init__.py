"""Persistence infrastructure for Waymark: transcoding and storage settings."""
