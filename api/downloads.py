"""Chronology exports as HTTP downloads.

``GET /exports/{caseId}/chronology.{docx|pdf|csv}?purpose=cica&asAt=...&history=1``
(and ``bundleId`` with ``bundleVersion`` for the page references, or ``served``
for a chronology exactly as served) with the same bearer token as GraphQL. The
caller must be able to read the case (one they may not see is answered as one
that does not exist); the file is named as a lawyer files it and streamed in
chunks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from urllib.parse import quote
from uuid import UUID

import orjson
from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from starlette.routing import Route

from api.auth import Principal
from api.graphql.access import Gate
from api.graphql.results import InvalidArgument, NotPermittedError
from api.policy import Action, Policy
from domain.application import CaseJourneys
from domain.errors import CaseNotFound, CommandRefused
from interchange.htcds.export import htcds_record
from interchange.htcds.files import as_csv, as_json
from projections.audit import AuditStore, Operation
from projections.chronology import Purpose
from projections.chronology.fold import BundleChoice
from projections.exports import ExportFormat
from projections.exports.build import export_chronology
from projections.exports.files import write_export

EXPORT_PATH = "/exports/{case_id}/chronology.{export_format}"
HTCDS_PATH = "/exports/{case_id}/htcds.{htcds_format}"
_HTCDS_MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8"}
_CHUNK = 64 * 1024
_YES = {"1", "yes", "true", "on"}


@dataclass(frozen=True)
class ExportRequest:
    case_id: UUID
    export_format: ExportFormat
    purpose: Purpose
    as_at: datetime | None
    with_history: bool
    bundle: BundleChoice | None
    served: UUID | None
    #: Sensitive steps only when asked for, and where the caller may see them.
    include_sensitive: bool

    @classmethod
    def parse(cls, path: Mapping[str, str], query: Mapping[str, str]) -> ExportRequest:
        """Raises ValueError naming what is unusable."""
        bundle_id = _optional_uuid(query.get("bundleId"))
        version = query.get("bundleVersion")
        if version is not None and bundle_id is None:
            raise ValueError("bundleVersion needs bundleId")
        return cls(
            case_id=UUID(path["case_id"]),
            export_format=ExportFormat(path["export_format"]),
            purpose=Purpose(query.get("purpose", "full").lower()),
            as_at=_moment(query.get("asAt")),
            with_history=query.get("history", "").lower() in _YES,
            bundle=(
                BundleChoice(bundle_id, int(version) if version else None)
                if bundle_id
                else None
            ),
            served=_optional_uuid(query.get("served")),
            include_sensitive=query.get("includeSensitive", "").lower() in _YES,
        )


class ExportDownloads:
    """The download endpoint's ASGI route, over the application's store."""

    def __init__(
        self,
        journeys: CaseJourneys,
        caller: Callable[[Request], Awaitable[Principal]],
        policy: Policy,
    ) -> None:
        self.journeys = journeys
        #: Who is asking; raises as the GraphQL endpoint does (401, 429).
        self.caller = caller
        self.policy = policy

    async def _gate(self, request: Request) -> Gate:
        principal = await self.caller(request)
        audit: AuditStore = request.app.state.views.audit
        return Gate(self.journeys, self.policy, audit, principal)

    def routes(self) -> list[Route]:
        return [
            Route(EXPORT_PATH, self.download, methods=["GET"]),
            Route(HTCDS_PATH, self.download_htcds, methods=["GET"]),
        ]

    async def download_htcds(self, request: Request) -> Response:
        """The case in HTCDS 2.0 field names (``docs/htcds.md``)."""
        gate = await self._gate(request)
        try:
            case_id = UUID(request.path_params["case_id"])
            media_type = _HTCDS_MEDIA[request.path_params["htcds_format"]]
        except (ValueError, KeyError):
            return _problem(400, "unusable request: a case id, and htcds.json or .csv")
        csv = media_type.startswith("text/csv")
        return await _file(
            request, media_type, partial(self._htcds, gate, case_id, csv)
        )

    def _htcds(self, gate: Gate, case_id: UUID, csv: bool) -> tuple[str, bytes]:
        """The file's name and bytes."""
        # The whole record travels, as a case moving to another system's does:
        # only those who may read the case itself (not counsel) may take it.
        gate.case(case_id, Action.READ_CASE)
        record = htcds_record(self.journeys.case_events(case_id))
        gate.record(Operation.EXPORT, case_ids=[case_id], purpose="htcds")
        reference = str(record["Case"]["wmk_Reference"])
        name = f"{reference} HTCDS.{'csv' if csv else 'json'}"
        return name, as_csv(record) if csv else as_json(record)

    async def download(self, request: Request) -> Response:
        gate = await self._gate(request)
        try:
            wanted = ExportRequest.parse(request.path_params, request.query_params)
        except ValueError as error:
            return _problem(400, f"unusable request: {error}")
        return await _file(
            request,
            wanted.export_format.media_type,
            partial(self._export, gate, wanted),
        )

    def _export(self, gate: Gate, wanted: ExportRequest) -> tuple[str, bytes]:
        _, grant = gate.case(
            wanted.case_id, Action.READ_CHRONOLOGY, wanted.purpose.value
        )
        export = export_chronology(
            self.journeys,
            wanted.case_id,
            purpose=wanted.purpose,
            as_at=wanted.as_at,
            with_history=wanted.with_history,
            bundle=wanted.bundle,
            served=wanted.served,
            include_sensitive=wanted.include_sensitive and grant.include_sensitive,
        )
        if export.proof.purpose is not wanted.purpose:
            raise InvalidArgument("served", "that service was of another purpose")
        gate.record(
            Operation.EXPORT,
            case_ids=[wanted.case_id],
            purpose=wanted.purpose.value,
            item_ids=[wanted.export_format.value],
        )
        name = export.file_name(wanted.export_format)
        return name, write_export(export, wanted.export_format)


async def _file(
    request: Request, media_type: str, make: Callable[[], tuple[str, bytes]]
) -> Response:
    """The file ``make`` writes (in a worker thread: it reads the store), as a
    download named as ``make`` says; a refusal as the GraphQL API gives it."""
    try:
        name, data = await request.app.state.store_threads.run(make)
    except NotPermittedError as error:
        return _problem(403, str(error))
    except CaseNotFound:
        return _problem(404, "no such case")
    except (CommandRefused, InvalidArgument) as error:
        return _problem(400, error.message)
    return StreamingResponse(
        _chunks(data),
        media_type=media_type,
        headers={
            "Content-Disposition": _attachment(name),
            "Content-Length": str(len(data)),
            "Cache-Control": "no-store",
        },
    )


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    if moment.utcoffset() is None:
        raise ValueError("asAt needs a time zone offset, e.g. 2024-05-01T12:00:00Z")
    return moment


def _optional_uuid(text: str | None) -> UUID | None:
    return UUID(text) if text else None


def _chunks(data: bytes) -> Iterator[bytes]:
    for start in range(0, len(data), _CHUNK):
        yield data[start : start + _CHUNK]


def _attachment(name: str) -> str:
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "'")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def _problem(status_code: int, message: str) -> Response:
    return Response(
        orjson.dumps({"error": message}),
        status_code=status_code,
        media_type="application/json",
    )
