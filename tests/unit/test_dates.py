import calendar
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.dates import (
    EDTF_LIMIT,
    SET_LIMIT,
    InvalidDate,
    UncertainDate,
    _common_form_bounds,
    _edtf_bounds,
    _set_bounds,
    _set_members,
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


@pytest.mark.parametrize(
    "text",
    ["99999", "Y-12345678", "-0001", "Y170000002", "2019/10000", "..-0001", "+2019"],
)
def test_a_year_beyond_the_calendar_is_refused_by_name(text: str) -> None:
    with pytest.raises(InvalidDate, match="only the years 1 to 9999"):
        UncertainDate.parse(text)


@pytest.mark.parametrize(
    ("edtf", "display", "earliest", "latest"),
    [
        (
            "[2019-06, 2019-08]",
            "one of June 2019 or August 2019",
            date(2019, 6, 1),
            date(2019, 8, 31),
        ),
        (
            "{2019-06,2019-08,2019-09-02}",
            "all of June 2019, August 2019 and 2 September 2019",
            date(2019, 6, 1),
            date(2019, 9, 2),
        ),
        ("[..2016]", "2016 or earlier", None, date(2016, 12, 31)),
        (
            "[2019-01..2019-03, 2020~]",
            "one of January 2019 to March 2019 or c. 2020",
            date(2019, 1, 1),
            date(2020, 12, 31),
        ),
        (
            "[201X, 2021-06]",
            "one of some time between 2010 and 2019 or June 2021",
            date(2010, 1, 1),
            date(2021, 6, 30),
        ),
    ],
)
def test_a_set_of_dates_reads_in_words(
    edtf: str, display: str, earliest: date | None, latest: date | None
) -> None:
    parsed = UncertainDate.parse(edtf)
    assert (parsed.display, parsed.earliest, parsed.latest) == (
        display,
        earliest,
        latest,
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(common_dates(), min_size=2, max_size=5), st.sampled_from("[{"))
def test_the_fast_reading_of_a_set_agrees_with_the_edtf_parser(
    members: list[str], opening: str
) -> None:
    text = opening + ", ".join(members) + ("]" if opening == "[" else "}")
    found = _set_members(text)
    assert found is not None
    assert _set_bounds(text, found) == _edtf_bounds(text)


def test_a_set_lists_a_bounded_number_of_dates() -> None:
    days = [f"2019-01-{day:02d}" for day in range(1, SET_LIMIT + 2)]
    with pytest.raises(InvalidDate, match=f"at most {SET_LIMIT} dates"):
        UncertainDate.parse("[" + ",".join(days) + "]")
    assert UncertainDate.parse("[" + ",".join(days[:-1]) + "]").latest == date(
        2019, 1, SET_LIMIT
    )


def test_an_edtf_text_is_bounded_in_length() -> None:
    with pytest.raises(InvalidDate, match=f"at most {EDTF_LIMIT} characters"):
        UncertainDate.parse("2019" + " " * EDTF_LIMIT)


@pytest.mark.parametrize(
    "text", ["2019-06-03T10:00", "2019-06-03T23:30:00-05:00", "2019-06-03T00:15Z"]
)
def test_a_date_time_is_read_as_the_day_it_is_written_on(text: str) -> None:
    parsed = UncertainDate.parse(text)
    assert (parsed.edtf, parsed.display) == ("2019-06-03", "3 June 2019")
    assert parsed.earliest == parsed.latest == date(2019, 6, 3)


@pytest.mark.parametrize(
    "text",
    [
        "\u0662\u0660\u0661\u0669-\u0660\u0666",  # Arabic-Indic digits
        "\u06f2\u06f0\u06f1\u06f9-\u06f0\u06f6",  # Persian digits
        "\uff12\uff10\uff11\uff19\uff0d\uff10\uff16",  # fullwidth, with its hyphen
    ],
)
def test_digits_of_any_script_are_read_as_the_ascii_digits_edtf_spells(
    text: str,
) -> None:
    parsed = UncertainDate.parse(text)
    assert (parsed.edtf, parsed.display) == ("2019-06", "June 2019")
