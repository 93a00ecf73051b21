"""Regions are read from the ONS lookups in domain/data/places, and hold to them."""

from collections import Counter, defaultdict
from importlib.resources import files

import pytest

from domain.regions import (
    ALIASES,
    CHANGES,
    COUNTIES_2019,
    DISTRICTS_2018,
    DISTRICTS_2019,
    REGIONS,
    UNKNOWN_REGION,
    current_authorities,
    known_local_authorities,
    normalised,
    places,
    read_rows,
    region_of,
)


@pytest.mark.parametrize(
    ("authority", "region"),
    [
        ("Newcastle upon Tyne", "North East"),
        ("Manchester", "North West"),
        ("Leeds", "Yorkshire and The Humber"),
        ("Derby", "East Midlands"),
        ("Birmingham", "West Midlands"),
        ("Norfolk", "East of England"),
        ("Camden", "London"),
        ("Kent", "South East"),
        ("Cornwall", "South West"),
        ("Cardiff", "Wales"),
        ("Glasgow City", "Scotland"),
        ("Belfast", "Northern Ireland"),
        # Districts of two-tier counties, and post-2023 unitaries.
        ("Tunbridge Wells", "South East"),
        ("Cumberland", "North West"),
        ("North Yorkshire", "Yorkshire and The Humber"),
        ("Somerset", "South West"),
    ],
)
def test_spot_checks_across_every_region(authority: str, region: str) -> None:
    assert region_of(authority) == region


def test_the_spot_checks_cover_every_region() -> None:
    checked = {
        region_of(name)
        for name in (
            "Newcastle upon Tyne",
            "Manchester",
            "Leeds",
            "Derby",
            "Birmingham",
            "Norfolk",
            "Camden",
            "Kent",
            "Cornwall",
            "Cardiff",
            "Glasgow City",
            "Belfast",
        )
    }
    assert checked == set(REGIONS)


@pytest.mark.parametrize(
    "name",
    [
        "Bristol, City of",
        "City of Bristol",
        "bristol city council",
        "Bristol City Council",
        "  BRISTOL ,  city   of ",
        "Bristol",
    ],
)
def test_bristol_matches_in_every_style(name: str) -> None:
    assert region_of(name) == "South West"


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("Kent County Council", "South East"),
        ("Essex County Council", "East of England"),
        ("Lancashire County Council", "North West"),
        ("Dartford Borough Council", "South East"),
        ("Leeds City Council", "Yorkshire and The Humber"),
        ("Cornwall Council", "South West"),
        ("London Borough of Camden", "London"),
        ("Royal Borough of Kensington and Chelsea", "London"),
        ("Royal Borough of Windsor and Maidenhead", "South East"),
        ("City of London", "London"),
        ("City of Westminster", "London"),
        ("Westminster City Council", "London"),
        ("Kingston upon Hull, City of", "Yorkshire and The Humber"),
        ("Hull City Council", "Yorkshire and The Humber"),
        ("Herefordshire, County of", "West Midlands"),
        ("Herefordshire Council", "West Midlands"),
        ("City of Edinburgh", "Scotland"),
        ("Edinburgh", "Scotland"),
        ("Glasgow", "Scotland"),
        ("glasgow city council", "Scotland"),
        ("Stockton on Tees", "North East"),
        ("stockton-on-tees borough council", "North East"),
        ("St Helens", "North West"),
        ("St. Helens", "North West"),
        ("Saint Helens", "North West"),
        ("Kings Lynn & West Norfolk", "East of England"),
        ("Newry Mourne and Down", "Northern Ireland"),
        ("Ynys Mon", "Wales"),
        ("Ynys Môn", "Wales"),
        ("Bridgend County Borough Council", "Wales"),
        ("City and County of Swansea", "Wales"),
        ("Comhairle nan Eilean Siar", "Scotland"),
        ("Durham County Council", "North East"),
        ("City of Bradford Metropolitan District Council", "Yorkshire and The Humber"),
        # Abolished councils still place their old records.
        ("Harrogate Borough Council", "Yorkshire and The Humber"),
        ("Carlisle", "North West"),
        ("Northampton", "East Midlands"),
        ("Greater Manchester", "North West"),
    ],
)
def test_name_variants_match(name: str, region: str) -> None:
    assert region_of(name) == region


def test_a_known_authority_wins_over_the_jurisdiction() -> None:
    assert region_of("Cardiff", "england_and_wales") == "Wales"
    assert region_of("Leeds", "england_and_wales") == "Yorkshire and The Humber"
    assert region_of("Fife", "scotland") == "Scotland"


@pytest.mark.parametrize("authority", [None, "", "   ", "Atlantis", "Newcastle"])
@pytest.mark.parametrize(
    ("jurisdiction", "region"),
    [
        ("scotland", "Scotland"),
        ("northern_ireland", "Northern Ireland"),
        ("england_and_wales", UNKNOWN_REGION),
        (None, UNKNOWN_REGION),
        ("narnia", UNKNOWN_REGION),
    ],
)
def test_an_unknown_authority_falls_back_on_the_jurisdiction(
    authority: str | None, jurisdiction: str | None, region: str
) -> None:
    assert region_of(authority, jurisdiction) == region


def test_regions_are_fixed_and_unique() -> None:
    assert REGIONS == (
        "North East",
        "North West",
        "Yorkshire and The Humber",
        "East Midlands",
        "West Midlands",
        "East of England",
        "London",
        "South East",
        "South West",
        "Wales",
        "Scotland",
        "Northern Ireland",
    )
    assert UNKNOWN_REGION not in REGIONS


def test_every_district_of_the_ons_lookup_places_in_its_own_region() -> None:
    """Each of the 382 districts of December 2019 (and each English one of
    December 2018) is placed where ONS puts it, by its name as ONS spells it."""
    rows = list(read_rows(DISTRICTS_2019))
    assert list(rows[0]) == [
        "LAD19CD",
        "LAD19NM",
        "RGN19CD",
        "RGN19NM",
        "CTRY19CD",
        "CTRY19NM",
    ]
    assert Counter(row["LAD19CD"][:3] for row in rows) == {
        "E06": 56,
        "E07": 192,
        "E08": 36,
        "E09": 33,
        "W06": 22,
        "S12": 32,
        "N09": 11,
    }
    for row in rows:
        expected = row["RGN19NM"] or row["CTRY19NM"]
        assert region_of(row["LAD19NM"]) == expected, row
        assert places().by_code[row["LAD19CD"]].region == expected, row
    for row in read_rows(DISTRICTS_2018):
        assert region_of(row["LAD18NM"]) == row["RGN18NM"], row
    for row in read_rows(COUNTIES_2019):
        assert region_of(row["CTY19NM"]) == row["RGN19NM"], row


def test_every_former_district_places_in_its_successors_region() -> None:
    changes = list(read_rows(CHANGES))
    assert len(changes) == 79
    for change in changes:
        successor = places().by_code[change["successor_code"]]
        assert successor.name == change["successor_name"]
        assert region_of(change["former_name"]) == successor.region, change
        if change["former_code"]:
            # The region ONS gave the former district itself.
            assert places().by_code[change["former_code"]].region == successor.region


@pytest.mark.parametrize(
    ("former", "region"),
    [
        ("Chester", "North West"),  # Cheshire West and Chester since 2009
        ("Ellesmere Port and Neston", "North West"),
        ("Macclesfield", "North West"),
        ("Salisbury", "South West"),  # Wiltshire since 2009
        ("Kennet", "South West"),
        ("Shrewsbury and Atcham", "West Midlands"),
        ("Restormel", "South West"),
        ("Wear Valley", "North East"),
        ("Tynedale", "North East"),
        ("Mid Bedfordshire", "East of England"),
        ("Weymouth and Portland", "South West"),  # Dorset since 2019
        ("Waveney", "East of England"),
        ("Wycombe", "South East"),  # Buckinghamshire since 2020
        ("Corby", "East Midlands"),  # North Northamptonshire since 2021
        ("Eden", "North West"),  # Westmorland and Furness since 2023
        ("Selby", "Yorkshire and The Humber"),  # North Yorkshire since 2023
        ("Somerset West and Taunton", "South West"),  # 2019, into Somerset 2023
    ],
)
def test_former_districts_of_each_reorganisation_still_place(
    former: str, region: str
) -> None:
    assert region_of(former) == region


def test_every_other_name_points_at_an_ons_area() -> None:
    for alias in read_rows(ALIASES):
        place = places().by_code[alias["code"]]
        assert region_of(alias["name"]) == place.region, alias


def test_the_councils_in_force_are_each_nations_authorities() -> None:
    count: dict[str, int] = defaultdict(int)
    for region in current_authorities().values():
        count[region] += 1
    assert set(count) == set(REGIONS)
    # 296 districts and unitaries and 21 shire counties in England (after the
    # 2023 reorganisations); 22, 32 and 11 principal councils elsewhere.
    assert sum(count[r] for r in REGIONS[:9]) == 317
    assert count["London"] == 33
    assert count["Wales"] == 22
    assert count["Scotland"] == 32
    assert count["Northern Ireland"] == 11
    abolished = {c["former_name"] for c in read_rows(CHANGES)} - {"Shepway"}
    assert abolished.isdisjoint(current_authorities())
    assert "Somerset West and Taunton" not in current_authorities()
    assert {"Cumberland", "North Yorkshire", "Folkestone and Hythe"} <= set(
        current_authorities()
    )


def test_no_two_council_names_normalise_alike() -> None:
    keys = [normalised(name) for name in current_authorities()]
    assert len(keys) == len(set(keys))
    assert all(keys)


def test_every_council_in_force_finds_its_own_region() -> None:
    for name, region in current_authorities().items():
        assert region_of(name) == region, name
        assert region_of(name.upper()) == region, name


def test_known_local_authorities_are_the_councils_in_force() -> None:
    known = known_local_authorities()
    assert set(known) == set(current_authorities())
    assert len(known) == len(current_authorities())
    assert "Kent" in known
    assert "Bristol, City of" in known
    assert "Chester" not in known and "Cumbria" not in known


def test_the_places_files_say_where_they_come_from() -> None:
    readme = files("domain").joinpath("data", "places", "README.md").read_text("utf-8")
    for needed in (
        "Office for National Statistics",
        "Open Geography Portal",
        "Open Government Licence v3.0",
        "December 2019",
        "December 2018",
    ):
        assert needed in readme
    data = files("domain").joinpath("data", "places")
    for entry in data.iterdir():
        if entry.name.endswith(".csv"):
            assert f"`{entry.name}`" in readme, entry.name
