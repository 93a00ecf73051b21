"""What a view stores of a change's text: everything, but with U+FFFD where a
NUL or an unpaired surrogate stood (no store can hold those)."""

from dataclasses import dataclass

from projections.tracking.storable import storable


@dataclass(frozen=True)
class Named:
    name: str
    place: str | None
    count: int


def test_a_change_a_view_can_store_is_passed_through_as_it_is() -> None:
    change = Named("Glasgow \u202e", None, 3)
    assert storable(change) is change


def test_nuls_and_unpaired_surrogates_are_stored_as_replacement_characters() -> None:
    assert storable(Named("a\x00b", "c\ud800", 3)) == Named("a\ufffdb", "c\ufffd", 3)


def test_what_is_not_a_change_is_left_alone() -> None:
    assert storable("a\x00b") == "a\x00b"
