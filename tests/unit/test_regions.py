from collections import defaultdict

import pytest

from domain.regions import (
    _OTHER_NAMES,
    _WHOLE_REGION_AREAS,
    LOCAL_AUTHORITY_REGIONS,
    REGIONS,
    UNKNOWN_REGION,
    known_local_authorities,
    normalised,
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


def test_every_table_value_is_a_region_and_every_region_has_authorities() -> None:
    assert set(LOCAL_AUTHORITY_REGIONS.values()) == set(REGIONS)
    assert set(_WHOLE_REGION_AREAS.values()) <= set(REGIONS)
    assert set(_OTHER_NAMES.values()) <= set(LOCAL_AUTHORITY_REGIONS)


def test_the_table_holds_each_nations_authorities() -> None:
    count: dict[str, int] = defaultdict(int)
    for region in LOCAL_AUTHORITY_REGIONS.values():
        count[region] += 1
    assert sum(count[r] for r in REGIONS[:9]) == 317  # 21 counties, 296 others
    assert count["London"] == 33
    assert count["Wales"] == 22
    assert count["Scotland"] == 32
    assert count["Northern Ireland"] == 11


def test_no_normalised_name_maps_to_two_regions() -> None:
    regions: dict[str, set[str]] = defaultdict(set)
    for name, region in LOCAL_AUTHORITY_REGIONS.items():
        regions[normalised(name)].add(region)
    for name, authority in _OTHER_NAMES.items():
        regions[normalised(name)].add(LOCAL_AUTHORITY_REGIONS[authority])
    for name, region in _WHOLE_REGION_AREAS.items():
        regions[normalised(name)].add(region)
    clashes = {name: found for name, found in regions.items() if len(found) > 1}
    assert clashes == {}


def test_no_two_canonical_names_normalise_alike() -> None:
    keys = [normalised(name) for name in LOCAL_AUTHORITY_REGIONS]
    assert len(keys) == len(set(keys))
    assert all(keys)


def test_every_canonical_name_finds_its_own_region() -> None:
    for name, region in LOCAL_AUTHORITY_REGIONS.items():
        assert region_of(name) == region, name
        assert region_of(name.upper()) == region, name


def test_known_local_authorities_are_the_canonical_names() -> None:
    known = known_local_authorities()
    assert set(known) == set(LOCAL_AUTHORITY_REGIONS)
    assert len(known) == len(LOCAL_AUTHORITY_REGIONS)
    assert "Kent" in known
    assert "Bristol, City of" in known
