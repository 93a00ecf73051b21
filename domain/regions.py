"""The region of a UK local authority, for statistics broken down by region.

Evaluation figures are reported by region so that differences between places
(the "postcode lottery") show. A case records the local authority it is in as
free text; this module maps that name to one of the nine English regions or to
Wales, Scotland or Northern Ireland, each counted as a region of its own.

Source: the Office for National Statistics' local authority district to region
lookup, as known for the structure in force from April 2023 (after Cumbria,
North Yorkshire and Somerset were reorganised), written out here from memory
of that lookup rather than downloaded. English two-tier areas appear both as
the county council (e.g. "Kent") and as its district councils; Wales, Scotland
and Northern Ireland list their principal areas, council areas and districts.
Abolished and renamed councils, and counties whose councils all lie in one
region, are kept as other names so that older records still place. Refresh the
table from ONS's published lookup (the "Local Authority District to Region"
file on the Open Geography Portal) whenever boundaries change.

Names are compared normalised: case, accents, punctuation, "&" and extra spaces
are ignored, and council styles such as "City of ", ", City of", " Council",
" County Council", " Borough Council", " City Council", "London Borough of " and
"Royal Borough of " are stripped, so "Bristol, City of", "City of Bristol" and
"bristol city council" are all the same authority. A name that is not known
falls back on the case's jurisdiction where that settles the region.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
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

#: Each region's local authorities, by their ONS names.
_AUTHORITIES_BY_REGION: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        NORTH_EAST: (
            # Unitary authorities.
            "County Durham",
            "Darlington",
            "Hartlepool",
            "Middlesbrough",
            "Northumberland",
            "Redcar and Cleveland",
            "Stockton-on-Tees",
            # Tyne and Wear metropolitan districts.
            "Gateshead",
            "Newcastle upon Tyne",
            "North Tyneside",
            "South Tyneside",
            "Sunderland",
        ),
        NORTH_WEST: (
            # Unitary authorities.
            "Blackburn with Darwen",
            "Blackpool",
            "Cheshire East",
            "Cheshire West and Chester",
            "Cumberland",
            "Halton",
            "Warrington",
            "Westmorland and Furness",
            # Greater Manchester metropolitan districts.
            "Bolton",
            "Bury",
            "Manchester",
            "Oldham",
            "Rochdale",
            "Salford",
            "Stockport",
            "Tameside",
            "Trafford",
            "Wigan",
            # Merseyside metropolitan districts.
            "Knowsley",
            "Liverpool",
            "St. Helens",
            "Sefton",
            "Wirral",
            # Lancashire and its districts.
            "Lancashire",
            "Burnley",
            "Chorley",
            "Fylde",
            "Hyndburn",
            "Lancaster",
            "Pendle",
            "Preston",
            "Ribble Valley",
            "Rossendale",
            "South Ribble",
            "West Lancashire",
            "Wyre",
        ),
        YORKSHIRE_AND_THE_HUMBER: (
            # Unitary authorities.
            "East Riding of Yorkshire",
            "Kingston upon Hull, City of",
            "North East Lincolnshire",
            "North Lincolnshire",
            "North Yorkshire",
            "York",
            # South Yorkshire metropolitan districts.
            "Barnsley",
            "Doncaster",
            "Rotherham",
            "Sheffield",
            # West Yorkshire metropolitan districts.
            "Bradford",
            "Calderdale",
            "Kirklees",
            "Leeds",
            "Wakefield",
        ),
        EAST_MIDLANDS: (
            # Unitary authorities.
            "Derby",
            "Leicester",
            "North Northamptonshire",
            "Nottingham",
            "Rutland",
            "West Northamptonshire",
            # Derbyshire and its districts.
            "Derbyshire",
            "Amber Valley",
            "Bolsover",
            "Chesterfield",
            "Derbyshire Dales",
            "Erewash",
            "High Peak",
            "North East Derbyshire",
            "South Derbyshire",
            # Leicestershire and its districts.
            "Leicestershire",
            "Blaby",
            "Charnwood",
            "Harborough",
            "Hinckley and Bosworth",
            "Melton",
            "North West Leicestershire",
            "Oadby and Wigston",
            # Lincolnshire and its districts.
            "Lincolnshire",
            "Boston",
            "East Lindsey",
            "Lincoln",
            "North Kesteven",
            "South Holland",
            "South Kesteven",
            "West Lindsey",
            # Nottinghamshire and its districts.
            "Nottinghamshire",
            "Ashfield",
            "Bassetlaw",
            "Broxtowe",
            "Gedling",
            "Mansfield",
            "Newark and Sherwood",
            "Rushcliffe",
        ),
        WEST_MIDLANDS: (
            # Unitary authorities.
            "Herefordshire, County of",
            "Shropshire",
            "Stoke-on-Trent",
            "Telford and Wrekin",
            # West Midlands metropolitan districts.
            "Birmingham",
            "Coventry",
            "Dudley",
            "Sandwell",
            "Solihull",
            "Walsall",
            "Wolverhampton",
            # Staffordshire and its districts.
            "Staffordshire",
            "Cannock Chase",
            "East Staffordshire",
            "Lichfield",
            "Newcastle-under-Lyme",
            "South Staffordshire",
            "Stafford",
            "Staffordshire Moorlands",
            "Tamworth",
            # Warwickshire and its districts.
            "Warwickshire",
            "North Warwickshire",
            "Nuneaton and Bedworth",
            "Rugby",
            "Stratford-on-Avon",
            "Warwick",
            # Worcestershire and its districts.
            "Worcestershire",
            "Bromsgrove",
            "Malvern Hills",
            "Redditch",
            "Worcester",
            "Wychavon",
            "Wyre Forest",
        ),
        EAST_OF_ENGLAND: (
            # Unitary authorities.
            "Bedford",
            "Central Bedfordshire",
            "Luton",
            "Peterborough",
            "Southend-on-Sea",
            "Thurrock",
            # Cambridgeshire and its districts.
            "Cambridgeshire",
            "Cambridge",
            "East Cambridgeshire",
            "Fenland",
            "Huntingdonshire",
            "South Cambridgeshire",
            # Essex and its districts.
            "Essex",
            "Basildon",
            "Braintree",
            "Brentwood",
            "Castle Point",
            "Chelmsford",
            "Colchester",
            "Epping Forest",
            "Harlow",
            "Maldon",
            "Rochford",
            "Tendring",
            "Uttlesford",
            # Hertfordshire and its districts.
            "Hertfordshire",
            "Broxbourne",
            "Dacorum",
            "East Hertfordshire",
            "Hertsmere",
            "North Hertfordshire",
            "St Albans",
            "Stevenage",
            "Three Rivers",
            "Watford",
            "Welwyn Hatfield",
            # Norfolk and its districts.
            "Norfolk",
            "Breckland",
            "Broadland",
            "Great Yarmouth",
            "King's Lynn and West Norfolk",
            "North Norfolk",
            "Norwich",
            "South Norfolk",
            # Suffolk and its districts.
            "Suffolk",
            "Babergh",
            "East Suffolk",
            "Ipswich",
            "Mid Suffolk",
            "West Suffolk",
        ),
        LONDON: (
            "City of London",
            "Barking and Dagenham",
            "Barnet",
            "Bexley",
            "Brent",
            "Bromley",
            "Camden",
            "Croydon",
            "Ealing",
            "Enfield",
            "Greenwich",
            "Hackney",
            "Hammersmith and Fulham",
            "Haringey",
            "Harrow",
            "Havering",
            "Hillingdon",
            "Hounslow",
            "Islington",
            "Kensington and Chelsea",
            "Kingston upon Thames",
            "Lambeth",
            "Lewisham",
            "Merton",
            "Newham",
            "Redbridge",
            "Richmond upon Thames",
            "Southwark",
            "Sutton",
            "Tower Hamlets",
            "Waltham Forest",
            "Wandsworth",
            "Westminster",
        ),
        SOUTH_EAST: (
            # Unitary authorities.
            "Bracknell Forest",
            "Brighton and Hove",
            "Buckinghamshire",
            "Isle of Wight",
            "Medway",
            "Milton Keynes",
            "Portsmouth",
            "Reading",
            "Slough",
            "Southampton",
            "West Berkshire",
            "Windsor and Maidenhead",
            "Wokingham",
            # East Sussex and its districts.
            "East Sussex",
            "Eastbourne",
            "Hastings",
            "Lewes",
            "Rother",
            "Wealden",
            # Hampshire and its districts.
            "Hampshire",
            "Basingstoke and Deane",
            "East Hampshire",
            "Eastleigh",
            "Fareham",
            "Gosport",
            "Hart",
            "Havant",
            "New Forest",
            "Rushmoor",
            "Test Valley",
            "Winchester",
            # Kent and its districts.
            "Kent",
            "Ashford",
            "Canterbury",
            "Dartford",
            "Dover",
            "Folkestone and Hythe",
            "Gravesham",
            "Maidstone",
            "Sevenoaks",
            "Swale",
            "Thanet",
            "Tonbridge and Malling",
            "Tunbridge Wells",
            # Oxfordshire and its districts.
            "Oxfordshire",
            "Cherwell",
            "Oxford",
            "South Oxfordshire",
            "Vale of White Horse",
            "West Oxfordshire",
            # Surrey and its districts.
            "Surrey",
            "Elmbridge",
            "Epsom and Ewell",
            "Guildford",
            "Mole Valley",
            "Reigate and Banstead",
            "Runnymede",
            "Spelthorne",
            "Surrey Heath",
            "Tandridge",
            "Waverley",
            "Woking",
            # West Sussex and its districts.
            "West Sussex",
            "Adur",
            "Arun",
            "Chichester",
            "Crawley",
            "Horsham",
            "Mid Sussex",
            "Worthing",
        ),
        SOUTH_WEST: (
            # Unitary authorities.
            "Bath and North East Somerset",
            "Bournemouth, Christchurch and Poole",
            "Bristol, City of",
            "Cornwall",
            "Dorset",
            "Isles of Scilly",
            "North Somerset",
            "Plymouth",
            "Somerset",
            "South Gloucestershire",
            "Swindon",
            "Torbay",
            "Wiltshire",
            # Devon and its districts.
            "Devon",
            "East Devon",
            "Exeter",
            "Mid Devon",
            "North Devon",
            "South Hams",
            "Teignbridge",
            "Torridge",
            "West Devon",
            # Gloucestershire and its districts.
            "Gloucestershire",
            "Cheltenham",
            "Cotswold",
            "Forest of Dean",
            "Gloucester",
            "Stroud",
            "Tewkesbury",
        ),
        WALES: (
            "Blaenau Gwent",
            "Bridgend",
            "Caerphilly",
            "Cardiff",
            "Carmarthenshire",
            "Ceredigion",
            "Conwy",
            "Denbighshire",
            "Flintshire",
            "Gwynedd",
            "Isle of Anglesey",
            "Merthyr Tydfil",
            "Monmouthshire",
            "Neath Port Talbot",
            "Newport",
            "Pembrokeshire",
            "Powys",
            "Rhondda Cynon Taf",
            "Swansea",
            "Torfaen",
            "Vale of Glamorgan",
            "Wrexham",
        ),
        SCOTLAND: (
            "Aberdeen City",
            "Aberdeenshire",
            "Angus",
            "Argyll and Bute",
            "City of Edinburgh",
            "Clackmannanshire",
            "Dumfries and Galloway",
            "Dundee City",
            "East Ayrshire",
            "East Dunbartonshire",
            "East Lothian",
            "East Renfrewshire",
            "Falkirk",
            "Fife",
            "Glasgow City",
            "Highland",
            "Inverclyde",
            "Midlothian",
            "Moray",
            "Na h-Eileanan Siar",
            "North Ayrshire",
            "North Lanarkshire",
            "Orkney Islands",
            "Perth and Kinross",
            "Renfrewshire",
            "Scottish Borders",
            "Shetland Islands",
            "South Ayrshire",
            "South Lanarkshire",
            "Stirling",
            "West Dunbartonshire",
            "West Lothian",
        ),
        NORTHERN_IRELAND: (
            "Antrim and Newtownabbey",
            "Ards and North Down",
            "Armagh City, Banbridge and Craigavon",
            "Belfast",
            "Causeway Coast and Glens",
            "Derry City and Strabane",
            "Fermanagh and Omagh",
            "Lisburn and Castlereagh",
            "Mid and East Antrim",
            "Mid Ulster",
            "Newry, Mourne and Down",
        ),
    }
)

#: The reference table: each local authority's canonical (ONS) name and region.
LOCAL_AUTHORITY_REGIONS: Mapping[str, str] = MappingProxyType(
    {
        authority: region
        for region, authorities in _AUTHORITIES_BY_REGION.items()
        for authority in authorities
    }
)

#: Other names for an authority in the table: short and everyday forms, Welsh
#: and Gaelic names, and councils abolished or renamed into it since 2018.
_OTHER_NAMES: Mapping[str, str] = MappingProxyType(
    {
        # Everyday forms.
        "Durham": "County Durham",
        "Stockton": "Stockton-on-Tees",
        "Redcar": "Redcar and Cleveland",
        "Blackburn": "Blackburn with Darwen",
        "Hull": "Kingston upon Hull, City of",
        "East Riding": "East Riding of Yorkshire",
        "Stoke": "Stoke-on-Trent",
        "Telford": "Telford and Wrekin",
        "Stratford-upon-Avon": "Stratford-on-Avon",
        "Southend": "Southend-on-Sea",
        "Brighton": "Brighton and Hove",
        "BCP": "Bournemouth, Christchurch and Poole",
        "Bath and NE Somerset": "Bath and North East Somerset",
        "BANES": "Bath and North East Somerset",
        "Scilly": "Isles of Scilly",
        # Wales: short and Welsh-language names.
        "Anglesey": "Isle of Anglesey",
        "Ynys Môn": "Isle of Anglesey",
        "Rhondda Cynon Taff": "Rhondda Cynon Taf",
        "Caerdydd": "Cardiff",
        "Abertawe": "Swansea",
        "Casnewydd": "Newport",
        "Wrecsam": "Wrexham",
        "Sir Ddinbych": "Denbighshire",
        "Sir y Fflint": "Flintshire",
        "Sir Benfro": "Pembrokeshire",
        "Sir Gaerfyrddin": "Carmarthenshire",
        "Sir Fynwy": "Monmouthshire",
        "Bro Morgannwg": "Vale of Glamorgan",
        "Pen-y-bont ar Ogwr": "Bridgend",
        "Castell-nedd Port Talbot": "Neath Port Talbot",
        "Caerffili": "Caerphilly",
        "Merthyr Tudful": "Merthyr Tydfil",
        # Scotland.
        "Western Isles": "Na h-Eileanan Siar",
        "Eilean Siar": "Na h-Eileanan Siar",
        "Comhairle nan Eilean Siar": "Na h-Eileanan Siar",
        "Orkney": "Orkney Islands",
        "Shetland": "Shetland Islands",
        "Borders": "Scottish Borders",
        # Northern Ireland.
        "Derry": "Derry City and Strabane",
        "Londonderry": "Derry City and Strabane",
        "Derry and Strabane": "Derry City and Strabane",
        "Armagh, Banbridge and Craigavon": "Armagh City, Banbridge and Craigavon",
        # Renamed in 2018.
        "Shepway": "Folkestone and Hythe",
        # Abolished in 2019 (Dorset, Suffolk, Somerset West and Taunton).
        "Bournemouth": "Bournemouth, Christchurch and Poole",
        "Christchurch": "Bournemouth, Christchurch and Poole",
        "Poole": "Bournemouth, Christchurch and Poole",
        "East Dorset": "Dorset",
        "North Dorset": "Dorset",
        "Purbeck": "Dorset",
        "West Dorset": "Dorset",
        "Weymouth and Portland": "Dorset",
        "Forest Heath": "West Suffolk",
        "St Edmundsbury": "West Suffolk",
        "Suffolk Coastal": "East Suffolk",
        "Waveney": "East Suffolk",
        "Taunton Deane": "Somerset",
        "West Somerset": "Somerset",
        # Abolished in 2020 (Buckinghamshire).
        "Aylesbury Vale": "Buckinghamshire",
        "Chiltern": "Buckinghamshire",
        "South Bucks": "Buckinghamshire",
        "Wycombe": "Buckinghamshire",
        # Abolished in 2021 (Northamptonshire).
        "Corby": "North Northamptonshire",
        "East Northamptonshire": "North Northamptonshire",
        "Kettering": "North Northamptonshire",
        "Wellingborough": "North Northamptonshire",
        "Daventry": "West Northamptonshire",
        "Northampton": "West Northamptonshire",
        "South Northamptonshire": "West Northamptonshire",
        # Abolished in 2023 (Cumbria, North Yorkshire, Somerset).
        "Allerdale": "Cumberland",
        "Carlisle": "Cumberland",
        "Copeland": "Cumberland",
        "Barrow-in-Furness": "Westmorland and Furness",
        "Eden": "Westmorland and Furness",
        "South Lakeland": "Westmorland and Furness",
        "Craven": "North Yorkshire",
        "Hambleton": "North Yorkshire",
        "Harrogate": "North Yorkshire",
        "Richmondshire": "North Yorkshire",
        "Ryedale": "North Yorkshire",
        "Scarborough": "North Yorkshire",
        "Selby": "North Yorkshire",
        "Mendip": "Somerset",
        "Sedgemoor": "Somerset",
        "Somerset West and Taunton": "Somerset",
        "South Somerset": "Somerset",
    }
)

#: Areas that are not (or no longer) one council but whose councils all lie in
#: one region: metropolitan counties, Greater London and split former counties.
_WHOLE_REGION_AREAS: Mapping[str, str] = MappingProxyType(
    {
        "Tyne and Wear": NORTH_EAST,
        "Cleveland": NORTH_EAST,
        "Greater Manchester": NORTH_WEST,
        "Merseyside": NORTH_WEST,
        "Cheshire": NORTH_WEST,
        "Cumbria": NORTH_WEST,
        "South Yorkshire": YORKSHIRE_AND_THE_HUMBER,
        "West Yorkshire": YORKSHIRE_AND_THE_HUMBER,
        "Humberside": YORKSHIRE_AND_THE_HUMBER,
        "Northamptonshire": EAST_MIDLANDS,
        "West Midlands": WEST_MIDLANDS,
        "Bedfordshire": EAST_OF_ENGLAND,
        "Greater London": LONDON,
        "Berkshire": SOUTH_EAST,
        "Avon": SOUTH_WEST,
    }
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


def _lookup() -> dict[str, str]:
    """Every known name, normalised, with its region; a clash is a table error."""
    names: list[tuple[str, str]] = list(LOCAL_AUTHORITY_REGIONS.items())
    names += [(n, LOCAL_AUTHORITY_REGIONS[a]) for n, a in _OTHER_NAMES.items()]
    names += list(_WHOLE_REGION_AREAS.items())
    table: dict[str, str] = {}
    for name, region in names:
        key = normalised(name)
        if table.setdefault(key, region) != region:
            raise ValueError(f"{name!r} reads as {key!r}, already in {table[key]}")
    return table


_REGION_BY_NAME: Mapping[str, str] = MappingProxyType(_lookup())


def region_of(local_authority: str | None, jurisdiction: str | None = None) -> str:
    """The region a local authority lies in.

    An unknown or missing authority falls back on the jurisdiction: Scotland
    and Northern Ireland are regions of their own, but "england_and_wales"
    cannot tell England from Wales, so that (or no jurisdiction) is
    UNKNOWN_REGION.
    """
    if local_authority:
        region = _REGION_BY_NAME.get(normalised(local_authority))
        if region is not None:
            return region
    if jurisdiction:
        return _JURISDICTION_REGIONS.get(jurisdiction.strip().lower(), UNKNOWN_REGION)
    return UNKNOWN_REGION


def known_local_authorities() -> tuple[str, ...]:
    """The canonical names of every authority in the table, alphabetically."""
    return tuple(sorted(LOCAL_AUTHORITY_REGIONS, key=str.casefold))
