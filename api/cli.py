"""The ``waymark`` command line: serve the API, keep the projections current,
rebuild a view, load the demo, mint tokens, verify.

Every command builds the application from the environment (``WAYMARK_`` settings,
by default a SQLite file ``waymark.db`` in the working directory) through the one
composition root. Expected failures print a short message, never a traceback.
"""

from __future__ import annotations

import getpass
import logging
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn
from uuid import UUID

import typer
from eventsourcing.domain import EventSourcingError

from api.auth import Role, TokenMintingUnavailable, check_token_settings, mint_token
from api.bootstrap import ProjectionSettings, Views, build_journeys, build_views
from api.logs import escape_log_records
from api.settings import RETENTION_DAYS_SETTING, Settings
from demo.cases import (
    DEMO_ADVOCATE,
    DEMO_COHORT,
    DEMO_ORGANISATION,
    DemoSummary,
    load_cohort,
    load_demo,
)
from domain.application import CaseJourneys, CommandResult
from domain.erasure import ErasureGround
from domain.errors import CaseNotFound, CommandRefused, InvalidField
from domain.retention import past_retention
from domain.text import IDENTIFIER_LIMIT, TextKind, checked_text
from interchange.htcds.export import htcds_record
from interchange.htcds.files import UnreadableFile, as_csv, as_json
from interchange.htcds.importer import HtcdsImportRefused, import_htcds
from projections.chronology import Purpose
from projections.evaluation.rebuild import rebuild_evaluation
from projections.exports import ExportFormat
from projections.exports.build import export_chronology
from projections.exports.files import read_export, write_export
from projections.exports.verify import check_file, check_record
from projections.tracking import ProjectionWorker, store_kind
from storage.keyring import CaseKeyring, KeyringError

app = typer.Typer(
    name="waymark",
    help="Waymark: an event-sourced case journey record for independent modern "
    "slavery advocates.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Exit codes: 1 for a failed check (a broken chain), 2 for unusable settings.
EXIT_CHECK_FAILED = 1
EXIT_UNUSABLE = 2

#: How long a locally signed token may be valid, in hours: at least one, at most
#: a week (a longer-lived token is a standing key; mint another instead).
TOKEN_HOURS = (1.0, 168.0)

_ANY_ADDRESS = {"0.0.0.0", "::", ""}


def _fail(message: str, code: int = EXIT_UNUSABLE) -> NoReturn:
    typer.secho(f"Error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code)


def _settings() -> Settings:
    try:
        return Settings.from_environ()
    except ValueError as error:  # includes UnsupportedDatabaseURL
        _fail(str(error))
    except OSError as error:
        _fail(
            f"cannot keep the local token secret or master key ({error.strerror}); "
            "set WAYMARK_TOKEN_SECRET and WAYMARK_MASTER_KEY, or run from a "
            "writable directory"
        )


def _projection_settings() -> ProjectionSettings:
    try:
        return ProjectionSettings.from_environ()
    except ValueError as error:
        _fail(str(error))


@contextmanager
def _views(
    settings: Settings, journeys: CaseJourneys, options: ProjectionSettings
) -> Iterator[Views]:
    try:
        views = build_views(settings, journeys, options)
    except EventSourcingError as error:
        _fail(f"cannot open the projections' views ({error})")
    try:
        yield views
    finally:
        views.close()


@contextmanager
def _journeys(settings: Settings) -> Iterator[CaseJourneys]:
    try:
        journeys = build_journeys(settings)
    except EventSourcingError as error:
        _fail(
            f"cannot open the event store ({error}); check WAYMARK_DATABASE_URL "
            "and that the database server is running"
        )
    try:
        yield journeys
    except EventSourcingError as error:
        _fail(f"the event store failed ({error})")
    finally:
        journeys.close()


def _advocate_token(settings: Settings) -> str | None:
    """A token for the demo organisation's advocate, or None under a provider."""
    try:
        return mint_token(
            settings,
            subject=DEMO_ADVOCATE,
            role=Role.ADVOCATE,
            organisation_id=DEMO_ORGANISATION,
        )
    except TokenMintingUnavailable:
        return None


def _describe_demo(summary: DemoSummary) -> str:
    references = ", ".join(case.reference for case in summary.cases)
    if summary.recorded == 0:
        news = "already loaded; nothing new recorded"
    else:
        news = f"{summary.recorded} new records"
        if summary.already_present:
            news += f", {summary.already_present} already present"
    return f"Demo: {len(summary.cases)} synthetic cases ({references}); {news}."


def _describe_cohort(events: int, cases: int) -> str:
    if not events:
        return "Evaluation cohort: already loaded; nothing new recorded."
    return (
        f"Evaluation cohort: {cases} synthetic cases ({events} events) opened from "
        "April 2022 in org-01 to org-24, for the evaluation figures."
    )


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            _fail(f"cannot listen on {host}:{port} ({error.strerror}); try --port")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = (
        8000
    ),
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Load the demo cases if the store is empty, turn GraphiQL and "
            "introspection on, and print a demo advocate's token.",
        ),
    ] = False,
) -> None:
    """Serve the GraphQL API until interrupted."""
    import uvicorn

    from api.app import create_app
    from api.http_protocol import MAX_HEAD_BYTES, http_protocol
    from api.log_redaction import redact_logs

    settings = _settings()
    if demo:
        settings = replace(settings, graphiql=True, introspection=True)
    options = _projection_settings()
    try:
        check_token_settings(settings)
    except RuntimeError as error:
        _fail(str(error))
    _check_port_free(host, port)
    with _journeys(settings) as journeys, _views(settings, journeys, options) as views:
        if demo:
            if next(iter(journeys.case_ids(erased=True)), None) is None:
                typer.echo(_describe_demo(load_demo(journeys)))
                typer.echo(_describe_cohort(load_cohort(journeys), DEMO_COHORT))
                typer.echo(f"Log position {journeys.log_position()}.")
            else:
                typer.echo("Demo: the store already holds cases; loaded nothing.")
        shown_host = "127.0.0.1" if host in _ANY_ADDRESS else host
        if ":" in shown_host:
            shown_host = f"[{shown_host}]"
        typer.echo(f"Workspace: http://{shown_host}:{port}/")
        typer.echo(f"GraphQL:   http://{shown_host}:{port}/graphql")
        typer.echo(_describe_tokens(settings, demo=demo))
        if views.in_process:
            typer.echo("Views:     kept current by this process.")
        else:
            typer.echo("Views:     kept current by `waymark project`; run it too.")
        config = uvicorn.Config(
            create_app(journeys, settings, views, demo=demo),
            host=host,
            port=port,
            server_header=False,
            # The request head bounded as it is read (api.http_protocol).
            http=http_protocol(),
            h11_max_incomplete_event_size=MAX_HEAD_BYTES,
        )
        redact_logs()  # uvicorn has configured its logging: no tokens in it
        uvicorn.Server(config).run()


def _describe_tokens(settings: Settings, *, demo: bool) -> str:
    """How to get a token; a token itself only for the demo (a real deployment's
    terminal output must not hold a credential)."""
    if settings.uses_identity_provider:
        return "Tokens:    from your identity provider."
    if not demo:
        return "Tokens:    `waymark token --role ROLE --organisation ORG` mints one."
    token = _advocate_token(settings)
    return (
        f"Advocate token for {DEMO_ORGANISATION} ({DEMO_ADVOCATE}), valid 12 "
        f'hours; send it as a header:\n  {{"Authorization": "Bearer {token}"}}'
    )


@app.command()
def project(
    once: Annotated[bool, typer.Option("--once", help="Catch up, then exit.")] = False,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild",
            help="Replay the whole log into the views (the evaluation view into a "
            "fresh one, then switched over).",
        ),
    ] = False,
) -> None:
    """Keep the projections' views current until interrupted (PostgreSQL: follow
    the log's notifications; SQLite: poll it)."""
    settings = _settings()
    options = replace(_projection_settings(), in_process=False)
    if store_kind(settings.persistence) == "memory":
        _fail(
            "the in-memory store lives only inside `waymark serve`, which keeps "
            "its views current itself"
        )
    with _journeys(settings) as journeys, _views(settings, journeys, options) as views:
        for worker in views.workers:
            _catch_up(worker, rebuild=rebuild)
        if once:
            return
        _say_what_workers_do()
        _keep_current(views.workers)


def _say_what_workers_do() -> None:
    """Prints the workers' news (standing by, taking over, reconnecting)."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    news = logging.getLogger("projections.tracking")
    news.addHandler(handler)
    news.setLevel(logging.INFO)


def _catch_up(worker: ProjectionWorker, *, rebuild: bool) -> None:
    start, end = worker.position(), worker.log_position()
    if rebuild:
        start = 0
    started = time.perf_counter()
    label = f"{'Rebuilding' if rebuild else 'Catching up'} {worker.name}"
    with _progress(label, start, end) as progress:
        read = (worker.rebuild if rebuild else worker.catch_up)(progress)
    seconds = time.perf_counter() - started
    rate = f", {read / seconds:,.0f} events/s" if read and seconds > 0 else ""
    typer.echo(
        f"{worker.name}: at log position {worker.position()} "
        f"({read} events read{rate})."
    )


@contextmanager
def _progress(label: str, start: int, end: int) -> Iterator[Callable[[int], None]]:
    """A progress bar from log position ``start`` to ``end``, and the callback
    that moves it to a position reached."""
    with typer.progressbar(length=max(end - start, 0), label=label) as bar:
        reached = start

        def progress(position: int) -> None:
            nonlocal reached
            bar.update(max(min(position, end) - reached, 0))
            reached = max(reached, position)

        yield progress


def _keep_current(workers: tuple[ProjectionWorker, ...]) -> None:
    """Runs each worker in a thread until Ctrl-C or SIGTERM, or one fails."""
    stop = threading.Event()
    failures: list[tuple[str, BaseException]] = []

    def work(worker: ProjectionWorker) -> None:
        try:
            worker.run(stop)
        except BaseException as error:
            failures.append((worker.name, error))
            stop.set()

    previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    threads = [
        threading.Thread(target=work, args=(worker,), name=f"project-{worker.name}")
        for worker in workers
    ]
    for thread in threads:
        thread.start()
    typer.echo("Following the log; Ctrl-C to stop.")
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        stop.set()
    finally:
        for thread in threads:
            thread.join()
        signal.signal(signal.SIGTERM, previous)
    for name, error in failures:
        _fail(f"the {name} projection failed: {error!r}", EXIT_CHECK_FAILED)
    for worker in workers:
        typer.echo(f"{worker.name}: stopped at log position {worker.position()}.")


class RebuildableView(StrEnum):
    EVALUATION = "evaluation"


@app.command()
def rebuild(
    view: Annotated[RebuildableView, typer.Argument(help="The view to rebuild.")],
) -> None:
    """Replay the whole log into a fresh view, then switch over to it at once:
    queries read the old view until the new one is complete."""
    settings = _settings()
    if store_kind(settings.persistence) == "memory":
        _fail("the in-memory store's views live inside `waymark serve`")
    with _journeys(settings) as journeys:
        started = time.perf_counter()
        label = f"Rebuilding {view.value}"
        with _progress(label, 0, journeys.log_position()) as progress:
            rebuilt = rebuild_evaluation(
                journeys, settings.persistence, progress=progress
            )
        seconds = time.perf_counter() - started
    rate = f", {rebuilt.events / seconds:,.0f} events/s" if seconds > 0 else ""
    typer.echo(
        f"{view.value}: rebuilt to log position {rebuilt.position} and switched "
        f"over ({rebuilt.events} events in {seconds:,.1f} s{rate})."
    )


@app.command("demo")
def demo_command(
    cohort: Annotated[
        int,
        typer.Option(
            help="Synthetic cases for the evaluation figures beside the stories "
            "(0 for none).",
            min=0,
            max=100_000,
        ),
    ] = DEMO_COHORT,
) -> None:
    """Load the synthetic demo cases (again: nothing is duplicated)."""
    settings = _settings()
    with _journeys(settings) as journeys:
        typer.echo(_describe_demo(load_demo(journeys)))
        if cohort:
            typer.echo(_describe_cohort(load_cohort(journeys, cohort), cohort))
        typer.echo(f"Log position {journeys.log_position()}.")


@app.command()
def token(
    role: Annotated[Role, typer.Option(help="The caller's role.")] = Role.ADVOCATE,
    organisation: Annotated[
        str | None,
        typer.Option(help="Organisation id (advocates, managers and counsel)."),
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option(
            help="Who the token is for, recorded as the author of their changes "
            "(default: local-ROLE)."
        ),
    ] = None,
    hours: Annotated[
        float,
        typer.Option(
            help=f"How long the token is valid, in hours "
            f"({TOKEN_HOURS[0]:g} to {TOKEN_HOURS[1]:g})."
        ),
    ] = 12.0,
) -> None:
    """Print a locally signed bearer token."""
    shortest, longest = TOKEN_HOURS
    if not shortest <= hours <= longest:
        _fail(f"--hours must be from {shortest:g} to {longest:g} (a week)")
    for option, value in (("--subject", subject), ("--organisation", organisation)):
        if value is not None:
            try:
                checked_text(value, option, IDENTIFIER_LIMIT, TextKind.IDENTIFIER)
            except InvalidField as refusal:
                _fail(refusal.message)
    settings = _settings()
    try:
        check_token_settings(settings)
        minted = mint_token(
            settings,
            subject=subject if subject is not None else f"local-{role.value}",
            role=role,
            organisation_id=organisation,
            ttl=timedelta(hours=hours),
        )
    except (TokenMintingUnavailable, RuntimeError, ValueError) as error:
        _fail(str(error))
    typer.echo(minted)


@app.command("export")
def export_command(
    case_id: Annotated[UUID, typer.Argument(help="The case.")],
    purpose: Annotated[
        Purpose, typer.Option(help="What the chronology is for.")
    ] = Purpose.FULL,
    export_format: Annotated[
        ExportFormat, typer.Option("--format", help="docx, pdf or csv.")
    ] = ExportFormat.DOCX,
    as_at: Annotated[
        datetime | None,
        typer.Option(
            "--as-at",
            help="Reproduce the chronology as it stood then (UTC unless an "
            "offset is given).",
            formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z"],
        ),
    ] = None,
    history: Annotated[
        bool, typer.Option("--history", help="List retracted steps too.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            help="Where to write it; by default a file named as a "
            "lawyer files it, in the working directory."
        ),
    ] = None,
) -> None:
    """Export a case's chronology as Word, PDF or CSV, with its proof."""
    settings = _settings()
    moment = as_at.replace(tzinfo=as_at.tzinfo or UTC) if as_at else None
    with _journeys(settings) as journeys:
        try:
            export = export_chronology(
                journeys, case_id, purpose=purpose, as_at=moment, with_history=history
            )
        except CaseNotFound:
            _fail(f"no case {case_id} (or none opened by then)")
    target = output or Path(export.file_name(export_format))
    target.write_bytes(write_export(export, export_format))
    typer.echo(
        f"Wrote {target}: {len(export.rows)} rows, case version "
        f"{export.proof.case_version}, chain head {export.proof.chain_head}."
    )


htcds = typer.Typer(
    help="Cases in the Human Trafficking Case Data Standard 2.0 (docs/htcds.md).",
    no_args_is_help=True,
)
app.add_typer(htcds, name="htcds")


class HtcdsFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


@htcds.command("export")
def htcds_export(
    case_id: Annotated[UUID, typer.Argument(help="The case.")],
    file_format: Annotated[HtcdsFormat, typer.Option("--format")] = HtcdsFormat.JSON,
    output: Annotated[
        Path | None, typer.Option(help="Where to write it; by default standard output.")
    ] = None,
) -> None:
    """Write a case in HTCDS 2.0 field names (JSON or CSV)."""
    with _journeys(_settings()) as journeys:
        try:
            record = htcds_record(journeys.case_events(case_id))
        except CaseNotFound:
            _fail(f"no case {case_id}")
    data = as_json(record) if file_format is HtcdsFormat.JSON else as_csv(record)
    if output is None:
        typer.echo(data.decode("utf-8-sig"), nl=False)
    else:
        output.write_bytes(data)
        typer.echo(f"Wrote {output}.")


@htcds.command("import")
def htcds_import(
    path: Annotated[Path, typer.Argument(help="An HTCDS 2.0 file, JSON or CSV.")],
    organisation: Annotated[str, typer.Option(help="The organisation to hold it.")],
    recorded_by: Annotated[
        str, typer.Option(help="Who records it (a person's id).")
    ] = "waymark-import",
    idempotency_key: Annotated[
        str | None, typer.Option(help="Importing again with it records nothing.")
    ] = None,
) -> None:
    """Create a case from an HTCDS 2.0 file: all of it, or nothing if any row
    cannot be read (each such row and field is named)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        _fail(f"cannot read {path}: {error.strerror}")
    with _journeys(_settings()) as journeys:
        try:
            result = import_htcds(
                journeys,
                data,
                organisation_id=organisation,
                recorded_by=recorded_by,
                idempotency_key=idempotency_key,
            )
        except HtcdsImportRefused as refused:
            for problem in refused.problems:
                typer.echo(f"refused: {problem}", err=True)
            _fail(f"nothing imported: {len(refused.problems)} problem(s) in {path}")
        except UnreadableFile as error:
            _fail(f"nothing imported: {error}")
    typer.echo(
        f"Imported case {result.case_id}: {result.version} events"
        + (" (already imported)" if result.replayed else "")
        + "."
    )


def _verify_export(path: Path, published_head: str | None, offline: bool) -> None:
    try:
        _, proof, rows = read_export(path.read_bytes())
    except (OSError, ValueError) as error:
        _fail(f"cannot read {path}: {error}")
    file_check = check_file(proof, rows, published_head)
    typer.echo(
        f"{path}: {proof.reference}, {proof.purpose.value} chronology, case version "
        f"{proof.case_version}, chain head {proof.chain_head}."
    )
    typer.echo(
        "The rows are as exported."
        if file_check.rows_intact
        else "ALTERED: the rows differ from the ones exported."
    )
    if file_check.chain_head_published is not None:
        typer.echo(
            "The chain head is the published one."
            if file_check.chain_head_published
            else "MISMATCH: the chain head is not the published one."
        )
    matches = file_check.matches
    if not offline:
        with _journeys(_settings()) as journeys:
            try:
                record = check_record(journeys, proof)
            except CaseNotFound:
                _fail("the record holds no such case", EXIT_CHECK_FAILED)
        if record.matches:
            typer.echo(
                "The record still holds exactly this chronology at that version."
            )
        else:
            typer.echo(
                "MISMATCH: the record does not hold this chronology at that version."
            )
        changed = len(record.changed_since)
        typer.echo(
            f"Since then: {record.current_version - proof.case_version} more events, "
            f"{changed} row{'s' if changed != 1 else ''} of this purpose changed."
        )
        for row in record.changed_since:
            typer.echo(f"  changed: {row.date}: {row.event.splitlines()[0]}")
        matches = matches and record.matches
    if not matches:
        raise typer.Exit(EXIT_CHECK_FAILED)


@app.command()
def verify(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also list intact cases.")
    ] = False,
    export: Annotated[
        Path | None,
        typer.Option(
            "--export",
            help="Check an exported chronology instead: that its rows are as "
            "exported and, unless --offline, that the record still holds them.",
        ),
    ] = None,
    chain_head: Annotated[
        str | None,
        typer.Option(help="With --export: the case's published chain head."),
    ] = None,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline", help="With --export: check the file alone (no store)."
        ),
    ] = False,
) -> None:
    """Recompute every case's hash chain (exit 1 if any is broken), or check an
    exported chronology with --export."""
    if export is not None:
        _verify_export(export, chain_head, offline)
        return
    settings = _settings()
    checked = broken = unreadable = erased = 0
    with _journeys(settings) as journeys:
        for case_id in journeys.case_ids(erased=True):
            checked += 1
            try:
                report = journeys.verify_chain(case_id)
            except EventSourcingError as error:
                unreadable += 1
                typer.echo(f"UNREADABLE {case_id}: {error}")
                continue
            if report.erased:
                erased += 1
                if verbose:
                    typer.echo(f"erased     {case_id}: {report.events} events")
                continue
            if report.sealed:
                unreadable += 1
                typer.echo(
                    f"UNREADABLE {case_id}: {report.sealed} events have no key and "
                    "the case was never erased"
                )
                continue
            if report.intact:
                if verbose:
                    typer.echo(
                        f"intact     {case_id}: {report.events} events, "
                        f"head {report.head}"
                    )
                continue
            broken += 1
            versions = ", ".join(str(version) for version in report.breaks)
            typer.echo(
                f"BROKEN     {case_id}: {report.events} events, link broken at "
                f"version {versions}"
            )
        position = journeys.log_position()
    # Erased cases cannot be read by design; every other chain must hold.
    of_erased = f" ({erased} erased)" if erased else ""
    if broken or unreadable:
        typer.echo(
            f"Checked {checked} cases at log position {position}: "
            f"{broken} broken, {unreadable} unreadable, "
            f"{checked - broken - unreadable - erased} intact{of_erased}."
        )
        raise typer.Exit(EXIT_CHECK_FAILED)
    typer.echo(
        f"Checked {checked} cases at log position {position}: every chain is "
        f"intact{of_erased}."
    )


# Erasure, retention and keys


def _operator() -> str:
    return f"cli:{getpass.getuser()}"


BY_OPTION = typer.Option(
    "--by", help="Who erases, recorded with the erasure (default: cli:USER)."
)
YES_OPTION = typer.Option("--yes", "-y", help="Do not ask for confirmation.")


def _erase_and_project(
    settings: Settings,
    journeys: CaseJourneys,
    erasures: list[tuple[UUID, str]],
    by: str,
) -> list[CommandResult]:
    """Erases each case on its ground, then brings the views up to date so that
    none mentions an erased case (the in-memory store's views live in the
    server)."""
    results = [
        journeys.erase_case(case_id, ground, erased_by=by)
        for case_id, ground in erasures
    ]
    if results and store_kind(settings.persistence) != "memory":
        options = replace(_projection_settings(), in_process=False)
        with _views(settings, journeys, options) as views:
            for worker in views.workers:
                worker.catch_up()
    return results


@app.command()
def erase(
    case_id: Annotated[UUID, typer.Argument(help="The case to erase.")],
    ground: Annotated[ErasureGround, typer.Option(help="Why the case is erased.")],
    by: Annotated[str | None, BY_OPTION] = None,
    yes: Annotated[bool, YES_OPTION] = False,
) -> None:
    """Erase a case for good (crypto-shredding): destroy its keys, so none of its
    events can be read again; record the erasure (no personal data) and drop
    the case from every view."""
    settings = _settings()
    with _journeys(settings) as journeys:
        if not yes:
            typer.confirm(
                f"Erase case {case_id} for good? Nothing of it can be read again",
                abort=True,
            )
        try:
            (result,) = _erase_and_project(
                settings, journeys, [(case_id, ground.value)], by or _operator()
            )
        except CommandRefused as error:
            _fail(error.message, EXIT_CHECK_FAILED)
    news = "was already erased; nothing recorded" if result.replayed else "erased"
    typer.echo(f"Case {case_id} {news} (log position {result.position}).")


@app.command()
def retention(
    erase: Annotated[
        bool,
        typer.Option("--erase", help="Erase the cases listed (asks first)."),
    ] = False,
    by: Annotated[str | None, BY_OPTION] = None,
    yes: Annotated[bool, YES_OPTION] = False,
) -> None:
    """List the cases closed longer than WAYMARK_RETENTION_DAYS ago; with
    --erase, erase them (ground retention_expired)."""
    settings = _settings()
    if settings.retention_days is None:
        _fail(f"no retention period is set: set {RETENTION_DAYS_SETTING}")
    with _journeys(settings) as journeys:
        due = past_retention(journeys, settings.retention_days, journeys.today())
        for case in due:
            typer.echo(
                f"{case.case_id}  closed {case.closed_on.isoformat()}  "
                f"{case.days_past} days past retention"
            )
        typer.echo(
            f"{len(due)} cases closed more than {settings.retention_days} days ago."
        )
        if not erase or not due:
            return
        if not yes:
            typer.confirm(f"Erase these {len(due)} cases for good?", abort=True)
        ground = ErasureGround.RETENTION_EXPIRED.value
        erasures = [(case.case_id, ground) for case in due]
        results = _erase_and_project(settings, journeys, erasures, by or _operator())
    typer.echo(f"Erased {len(results)} cases (ground {ground}).")


keys_app = typer.Typer(help="The master key and the cases' data keys.")
app.add_typer(keys_app, name="keys")


def _keyring(journeys: CaseJourneys) -> CaseKeyring:
    keyring = getattr(journeys.mapper, "keyring", None)
    if not isinstance(keyring, CaseKeyring):
        _fail("this store does not seal cases under their own keys")
    return keyring


@keys_app.command("status")
def keys_status() -> None:
    """How many data keys each master key wraps."""
    settings = _settings()
    with _journeys(settings) as journeys:
        keyring = _keyring(journeys)
        counts = keyring.keys_by_master()
    typer.echo(f"Current master key: {keyring.master_key_id}")
    for master, count in sorted(counts.items()):
        marker = " (current)" if master == keyring.master_key_id else ""
        typer.echo(f"  {master}: {count} data keys{marker}")


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Rewrap every data key under the current master key (WAYMARK_MASTER_KEY),
    unwrapping with the old one (WAYMARK_PREVIOUS_MASTER_KEYS). No event is
    rewritten."""
    settings = _settings()
    with _journeys(settings) as journeys:
        keyring = _keyring(journeys)
        try:
            moved = keyring.rotate_master()
        except KeyringError as error:
            _fail(str(error))
    typer.echo(
        f"Rewrapped {moved} data keys under master key {keyring.master_key_id}; "
        f"the previous master keys may now be retired."
    )


def main() -> None:
    escape_log_records()
    app()


if __name__ == "__main__":
    main()
