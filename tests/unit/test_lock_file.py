"""The lock file pins every dependency pyproject.toml names: an install from it
(bin/install) is the same on every machine, and a dependency added without
running bin/lock fails here rather than on a fresh machine."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _name(requirement: str) -> str:
    name = re.split(r"[\s\[<>=!~;]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_lock_file_pins_every_dependency_of_the_project_and_its_tools() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    wanted |= {_name(r) for r in project["optional-dependencies"]["dev"]}
    pinned = {
        _name(line)
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if re.match(r"^[A-Za-z0-9]", line)
    }

    assert wanted <= pinned, f"run bin/lock: not pinned {sorted(wanted - pinned)}"
    assert all(
        "==" in line
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if re.match(r"^[A-Za-z0-9]", line)
    )
