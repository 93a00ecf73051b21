import calendar
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.dates import (
    InvalidDate,
    UncertainDate,
    _common_form_bounds,
    _edtf_bounds,
)


@pytest.mark.parametrize(
    ("edtf", "display", "earliest", "latest"),
    [
        ("2019-06-15", "15 June 2019", date(2019, 6, 15), date(2019, 6, 15)),
        ("2019-06", "June 2019", date(2019, 6, 1), date(2019, 6, 30)),
        ("2019", "2019", date(2019, 1, 1), date(2019, 12, 31)),
        ("2019-06~", "c. June 2019", date(2019, 6, 1), date(2019, 6, 30)),
        ("2019-06?", "June 2019 (uncertain)", date(2019, 6, 1), date(2019, 6, 30)),
        ("2019-06%", "c. June 2019 (uncertain)", date(2019, 6, 1), date(2019, 6, 30)),
        (
            "2018-03/2018-05",
            "between March and May 2018",
            date(2018, 3, 1),
            date(2018, 5, 31),
        ),
        (
            "2018-11/2019-02",
            "between November 2018 and February 2019",
            date(2018, 11, 1),
            date(2019, 2, 28),
        ),
        ("../2016", "on or before 2016", None, date(2016, 12, 31)),
        ("/2016", "on or before 2016", None, date(2016, 12, 31)),
        ("2017/", "on or after 2017", date(2017, 1, 1), None),
        ("2017/..", "on or after 2017", date(2017, 1, 1), None),
        ("2019-21", "spring 2019", date(2019, 3, 1), date(2019, 5, 31)),
        (
            "201X",
            "some time between 2010 and 2019",
            date(2010, 1, 1),
            date(2019, 12, 31),
        ),
    ],
)
def test_an_uncertain_date_says_honestly_what_is_known(
    edtf: str, display: str, earliest: date | None, latest: date | None
) -> None:
    parsed = UncertainDate.parse(edtf)
    assert parsed.display == display
    assert parsed.earliest == earliest
    assert parsed.latest == latest


@pytest.mark.parametrize(
    "text",
    [
        "junk",
        "2019-13",
        "2019-02-30",
        "2019-02-29",
        "0000",
        "2020/2019",
        "   ",
        # Divisions the edtf parser reads but the chronology cannot put in words.
        "2019-25",
        "2019-33",
        "2018-03/2019-41",
    ],
)
def test_text_that_is_not_an_edtf_date_is_refused(text: str) -> None:
    with pytest.raises(InvalidDate):
        UncertainDate.parse(text)


def test_a_date_is_in_the_future_only_when_its_earliest_day_is() -> None:
    today = date(2026, 11, 26)
    assert UncertainDate.parse("2026-12").is_after(today)
    assert not UncertainDate.parse("2026-11").is_after(today)
    assert not UncertainDate.parse("2026/..").is_after(today)


def test_a_date_survives_its_stored_form() -> None:
    parsed = UncertainDate.parse("2019-06~")
    assert UncertainDate.from_record(parsed.as_record()) == parsed


@st.composite
def common_dates(draw: st.DrawFn) -> str:
    year = draw(st.integers(1900, 2026))
    text = f"{year:04d}"
    if draw(st.booleans()):
        month = draw(st.integers(1, 12))
        text += f"-{month:02d}"
        if draw(st.booleans()):
            last = calendar.monthrange(year, month)[1]
            text += f"-{draw(st.integers(1, last)):02d}"
    return text + draw(st.sampled_from(["", "~", "?", "%"]))


@st.composite
def common_forms(draw: st.DrawFn) -> str:
    first = draw(common_dates())
    shape = draw(st.sampled_from(["single", "between", "before", "after"]))
    if shape == "single":
        return first
    if shape == "before":
        return f"../{first}"
    if shape == "after":
        return f"{first}/.."
    second = draw(common_dates())
    return f"{min(first, second)}/{max(first, second)}"


@settings(max_examples=60, deadline=None)
@given(common_forms())
def test_the_fast_reading_of_common_forms_agrees_with_the_edtf_parser(
    text: str,
) -> None:
    assert _common_form_bounds(text) == _edtf_bounds(text)


@pytest.mark.parametrize("season", [21, 22, 23])
def test_spring_summer_and_autumn_are_read_as_the_edtf_parser_reads_them(
    season: int,
) -> None:
    text = f"2019-{season}"
    assert _common_form_bounds(text) == _edtf_bounds(text)


def test_winter_runs_into_february_of_the_next_year() -> None:
    # Deliberately wider than the edtf parser, which ends winter on 31 December.
    winter = UncertainDate.parse("2019-24")
    assert (winter.earliest, winter.latest) == (date(2019, 12, 1), date(2020, 2, 29))
    assert winter.display == "winter 2019"
