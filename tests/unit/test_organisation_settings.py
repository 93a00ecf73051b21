"""The organisations the settings name, and those whose advocates see only
their assigned cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import Settings


def test_organisations_are_read_as_a_comma_separated_list(tmp_path: Path) -> None:
    settings = Settings.from_environ(
        {
            "WAYMARK_TOKEN_SECRET": "s" * 40,
            "WAYMARK_ORGANISATIONS": " org-north, org-south ,,",
            "WAYMARK_ASSIGNED_ONLY_ORGANISATIONS": "org-north",
        },
        workdir=tmp_path,
    )

    assert settings.organisations == {"org-north", "org-south"}
    assert settings.assigned_only_organisations == {"org-north"}


def test_unset_they_name_none(tmp_path: Path) -> None:
    settings = Settings.from_environ(
        {"WAYMARK_TOKEN_SECRET": "s" * 40}, workdir=tmp_path
    )

    assert settings.organisations == settings.assigned_only_organisations == set()


@pytest.mark.parametrize("value", ["org\x00north", "o" * 201])
def test_an_id_that_cannot_be_an_organisation_stops_startup(
    tmp_path: Path, value: str
) -> None:
    with pytest.raises(ValueError, match="WAYMARK_ORGANISATIONS"):
        Settings.from_environ(
            {"WAYMARK_TOKEN_SECRET": "s" * 40, "WAYMARK_ORGANISATIONS": value},
            workdir=tmp_path,
        )
