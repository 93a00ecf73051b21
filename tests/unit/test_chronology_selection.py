"""The purposes' selections are one table of data, and it names the whole vocabulary."""

from __future__ import annotations

from domain.vocabulary import STEP_KINDS
from projections.chronology import SELECTIONS, Purpose
from projections.chronology.purposes_doc import DOC_FILE, REGENERATE, markdown
from projections.chronology.selection import AREA_NAMES


def test_every_purpose_has_one_selection_and_every_area_a_name() -> None:
    assert set(SELECTIONS) == set(Purpose)
    assert set(AREA_NAMES) == {kind.area for kind in STEP_KINDS.values()}


def test_what_a_selection_leaves_out_names_real_areas_and_kinds_once() -> None:
    for purpose, selection in SELECTIONS.items():
        covered: list[str] = []
        for entry in selection.left_out:
            assert entry.areas <= set(AREA_NAMES), purpose
            assert entry.kinds <= set(STEP_KINDS), purpose
            covered += [code for code, kind in STEP_KINDS.items() if entry.covers(kind)]
        # No step is claimed by two reasons: each count means one thing.
        assert len(covered) == len(set(covered)), purpose
        # Reasons are counted by code, so a selection names each reason once.
        reasons = [entry.reason for entry in selection.left_out]
        assert len(reasons) == len(set(reasons)), purpose


def test_a_new_area_would_be_shown_unless_a_reason_names_it() -> None:
    # The selection is by exclusion: an area no reason names is included.
    for selection in SELECTIONS.values():
        left_out_areas = {area for entry in selection.left_out for area in entry.areas}
        assert set(selection.included_areas) >= set(AREA_NAMES) - left_out_areas


def test_the_users_docs_hold_the_selections_as_they_are() -> None:
    assert DOC_FILE.read_text(encoding="utf-8") == markdown(), f"run {REGENERATE}"
