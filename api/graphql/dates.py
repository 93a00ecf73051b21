"""How an EDTF date will print, asked before a step is saved: the workspace's
date preview reads the words from here rather than keeping a second printer."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from api.graphql.context import Information
from api.graphql.results import ValidationFailed
from domain.dates import UNDATED
from domain.errors import InvalidField
from domain.steps import parse_occurred

#: EDTF dates are short; anything longer is not one, and is not parsed.
MAX_EDTF_LENGTH = 100


@strawberry.type(description="How an EDTF date prints on a chronology.")
class DateDescription:
    edtf: str = strawberry.field(description="The date as given, trimmed.")
    display: str = strawberry.field(
        description="The words a chronology prints (`c. June 2019`, `undated`)."
    )
    earliest: date | None = strawberry.field(
        description="The earliest day it can mean; null if undated or open."
    )
    latest: date | None = strawberry.field(
        description="The latest day it can mean; null if undated or open."
    )


DateDescriptionResult = Annotated[
    DateDescription | ValidationFailed,
    strawberry.union(
        "DateDescriptionResult",
        description="How the date prints, or why a step could not carry it "
        "(`field` is `edtf`).",
    ),
]


def resolve_describe_date(
    info: Information,
    edtf: Annotated[
        str,
        strawberry.argument(
            description="A step's date in EDTF, as it would be sent as `occurred`; "
            "empty for an undated step."
        ),
    ],
) -> DateDescriptionResult:
    if len(edtf) > MAX_EDTF_LENGTH:
        return ValidationFailed(
            message=f"edtf: at most {MAX_EDTF_LENGTH} characters", field="edtf"
        )
    today = info.context.journeys.today()
    try:
        occurred = parse_occurred(edtf, today, "edtf")
    except InvalidField as error:
        return ValidationFailed(message=str(error), field="edtf")
    if occurred is None:
        return DateDescription(edtf="", display=UNDATED, earliest=None, latest=None)
    return DateDescription(
        edtf=occurred.edtf,
        display=occurred.display,
        earliest=occurred.earliest,
        latest=occurred.latest,
    )
