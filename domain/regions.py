"""The region of a UK local authority, for statistics broken down by region.

Evaluation figures are reported by region so that differences between places
(the "postcode lottery") show. A case records the local authority it is in as
free text; this module maps that name to one of the nine English regions or to
Wales, Scotland or Northern Ireland, each counted as a region of its own.

The places come from the Office for National Statistics' published lookups,
kept as data files in ``domain/data/places`` with their source, edition and
licence (its README): every local authority district of December 2019 with its
region and country, the English districts of December 2018 (for those
abolished in April 2019), the shire and metropolitan counties of December 2019,
and every reorganisation since 2009 naming each former district's successor,
so an old record (Chester, Salisbury, Harrogate) still places. A successor's
region is its predecessors' (every reorganisation stayed within one region),
and the loader refuses files in which they disagree. Other names people write
(Welsh and Gaelic names, "Hull", former counties) are in ``aliases.csv``, each
pointing at an ONS code.

Names are compared normalised: case, accents, punctuation, "&" and extra spaces
are ignored, and council styles such as "City of ", ", City of", " Council",
" County Council", " Borough Council", " City Council", "London Borough of " and
"Royal Borough of " are stripped, so "Bristol, City of", "City of Bristol" and
"bristol city council" are all the same authority. A name that is not known
falls back on the case's jurisdiction where that settles the region.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from types import MappingProxyType

NORTH_EAST = "North East"
NORTH_WEST = "North West"
YORKSHIRE_AND_THE_HUMBER = "Yorkshire and The Humber"
EAST_MIDLANDS = "East Midlands"
WEST_MIDLANDS = "West Midlands"
EAST_OF_ENGLAND = "East of England"
LONDON = "London"
SOUTH_EAST = "South East"
SOUTH_WEST = "South West"
WALES = "Wales"
SCOTLAND = "Scotland"
NORTHERN_IRELAND = "Northern Ireland"

#: Every region, in ONS order: the English regions, then the other nations.
REGIONS: tuple[str, ...] = (
    NORTH_EAST,
    NORTH_WEST,
    YORKSHIRE_AND_THE_HUMBER,
    EAST_MIDLANDS,
    WEST_MIDLANDS,
    EAST_OF_ENGLAND,
    LONDON,
    SOUTH_EAST,
    SOUTH_WEST,
    WALES,
    SCOTLAND,
    NORTHERN_IRELAND,
)

#: What a name that cannot be placed is counted under.
UNKNOWN_REGION = "Unknown"

#: The jurisdictions that settle a region on their own ("england_and_wales"
#: does not: it cannot tell England from Wales).
_JURISDICTION_REGIONS: Mapping[str, str] = MappingProxyType(
    {"scotland": SCOTLAND, "northern_ireland": NORTHERN_IRELAND}
)

#: The data files, in ``domain/data/places``.
DISTRICTS_2019 = "lad_2019_uk.csv"
DISTRICTS_2018 = "lad_2018_region_en.csv"
COUNTIES_2019 = "county_2019_en.csv"
CHANGES = "changes.csv"
ALIASES = "aliases.csv"


class PlacesFileError(ValueError):
    """The places files contradict themselves (a code in two regions, a name
    read two ways, a successor whose predecessors lie in different regions)."""


@dataclass(frozen=True)
class Place:
    """An area with an ONS code, and whether it is a council in force now."""

    code: str
    name: str
    region: str
    current: bool


@dataclass(frozen=True)
class Places:
    #: Every coded area (districts, counties, successors) by its code.
    by_code: Mapping[str, Place]
    #: Every name, normalised, with its region.
    region_by_name: Mapping[str, str]


def read_rows(name: str) -> Iterator[dict[str, str]]:
    """A data file's rows (the ONS files begin with a byte-order mark)."""
    text = files("domain").joinpath("data", "places", name).read_text("utf-8-sig")
    yield from csv.DictReader(io.StringIO(text))


def _region(row: dict[str, str], region: str, country: str) -> str:
    """ONS gives no region outside England: the nation is the region."""
    return row[region] or row[country]


@cache
def places() -> Places:
    """The places files, read and checked once."""
    by_code: dict[str, Place] = {}

    def add(code: str, name: str, region: str, current: bool) -> None:
        if region not in REGIONS:
            raise PlacesFileError(f"{code} {name}: {region!r} is not a region")
        known = by_code.get(code)
        if known is not None and known.region != region:
            raise PlacesFileError(f"{code} is in {known.region} and {region}")
        if known is None or current:
            by_code[code] = Place(code, name, region, current)

    changes = list(read_rows(CHANGES))
    # A rename keeps its code; a district merged into another is gone, even
    # one that was itself a successor (Somerset West and Taunton, 2019-2023).
    abolished = {
        c["former_code"]
        for c in changes
        if c["former_code"] and c["former_code"] != c["successor_code"]
    }
    for row in read_rows(DISTRICTS_2019):
        code = row["LAD19CD"]
        add(
            code,
            row["LAD19NM"],
            _region(row, "RGN19NM", "CTRY19NM"),
            code not in abolished,
        )
    for row in read_rows(DISTRICTS_2018):
        add(row["LAD18CD"], row["LAD18NM"], row["RGN18NM"], False)
    for row in read_rows(COUNTIES_2019):
        # Shire counties (E10) are councils; metropolitan counties (E11) and
        # Inner and Outer London (E13) are areas only.
        code = row["CTY19CD"]
        add(
            code,
            row["CTY19NM"],
            row["RGN19NM"],
            code.startswith("E10") and row["CTY19NM"] not in _REORGANISED_COUNTIES,
        )
    names: list[tuple[str, str]] = [(p.name, p.region) for p in by_code.values()]
    for change in changes:
        successor = change["successor_code"]
        predecessor = by_code.get(change["former_code"])
        if predecessor is not None:
            region = predecessor.region
        elif successor in by_code:
            region = by_code[successor].region
        else:
            raise PlacesFileError(
                f"{change['former_name']}: neither it nor its successor "
                f"{successor} is in the lookups"
            )
        add(successor, change["successor_name"], region, successor not in abolished)
        names += [(change["former_name"], region), (change["successor_name"], region)]
    for alias in read_rows(ALIASES):
        place = by_code.get(alias["code"])
        if place is None:
            raise PlacesFileError(f"{alias['name']}: no area {alias['code']}")
        names.append((alias["name"], place.region))
    region_by_name: dict[str, str] = {}
    for name, region in names:
        key = normalised(name)
        if region_by_name.setdefault(key, region) != region:
            raise PlacesFileError(
                f"{name!r} reads as {key!r}, already in {region_by_name[key]}"
            )
    return Places(MappingProxyType(by_code), MappingProxyType(region_by_name))


#: Counties of December 2019 since replaced by unitary councils of their own.
_REORGANISED_COUNTIES = frozenset(
    {"Buckinghamshire", "Cumbria", "Northamptonshire", "North Yorkshire", "Somerset"}
)

#: Council styles stripped from the front and back of a normalised name, longest
#: first within each tuple. Each keeps its space so a name is never emptied.
_PREFIXES = (
    "metropolitan borough of ",
    "city and county of ",
    "london borough of ",
    "royal borough of ",
    "council of the ",
    "borough of ",
    "county of ",
    "city of ",
    "the ",
)
_SUFFIXES = (
    " metropolitan district council",
    " metropolitan borough council",
    " county borough council",
    " district council",
    " borough council",
    " county council",
    " city council",
    " council",
    " county of",
    " city of",
    " city",
)

_APOSTROPHES = re.compile(r"['\u2018\u2019`]")
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def normalised(name: str) -> str:
    """A name as it is compared: lower case, plain letters and single spaces,
    "&" read as "and", "saint" as "st", and council styles stripped."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text.replace("&", " and "))
    words = [
        "st" if w == "saint" else w for w in _NOT_ALPHANUMERIC.sub(" ", text).split()
    ]
    text = " ".join(words)
    stripped = None
    while stripped != text:
        stripped = text
        for prefix in _PREFIXES:
            if text.startswith(prefix):
                text = text[len(prefix) :]
        for suffix in _SUFFIXES:
            if text.endswith(suffix):
                text = text[: -len(suffix)]
    return text


def region_of(local_authority: str | None, jurisdiction: str | None = None) -> str:
    """The region a local authority lies in.

    An unknown or missing authority falls back on the jurisdiction: Scotland
    and Northern Ireland are regions of their own, but "england_and_wales"
    cannot tell England from Wales, so that (or no jurisdiction) is
    UNKNOWN_REGION.
    """
    if local_authority:
        region = places().region_by_name.get(normalised(local_authority))
        if region is not None:
            return region
    if jurisdiction:
        return _JURISDICTION_REGIONS.get(jurisdiction.strip().lower(), UNKNOWN_REGION)
    return UNKNOWN_REGION


def current_authorities() -> Mapping[str, str]:
    """The councils in force (districts, unitaries, shire counties) by their
    ONS names, with their regions."""
    return MappingProxyType(
        {p.name: p.region for p in places().by_code.values() if p.current}
    )


def known_local_authorities() -> tuple[str, ...]:
    """The ONS names of every council in force, alphabetically."""
    return tuple(sorted(current_authorities(), key=str.casefold))
