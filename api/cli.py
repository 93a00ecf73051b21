"""The ``waymark`` command line: serve the API, keep the projections current,
rebuild a view, load the demo, mint tokens, verify.

Every command builds the application from the environment (``WAYMARK_`` settings,
by default a SQLite file ``waymark.db`` in the working directory) through the one
composition root. Expected failures print a short message, never a traceback.
"""

from __future__ import annotations

import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from enum import StrEnum
from typing import Annotated, NoReturn

import typer
from eventsourcing.domain import EventSourcingError

from api.auth import Role, TokenMintingUnavailable, check_token_settings, mint_token
from api.bootstrap import ProjectionSettings, Views, build_journeys, build_views
from api.settings import Settings
from demo.cases import (
    DEMO_ADVOCATE,
    DEMO_COHORT,
    DEMO_ORGANISATION,
    DemoSummary,
    load_cohort,
    load_demo,
)
from domain.application import CaseJourneys
from projections.evaluation.rebuild import rebuild_evaluation
from projections.tracking import ProjectionWorker, store_kind

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
            f"cannot keep the local token secret ({error.strerror}); "
            "set WAYMARK_TOKEN_SECRET or run from a writable directory"
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
        bool, typer.Option("--demo", help="Load the demo cases if the store is empty.")
    ] = False,
) -> None:
    """Serve the GraphQL API (with GraphiQL) until interrupted."""
    import uvicorn

    from api.app import create_app

    settings = _settings()
    options = _projection_settings()
    try:
        check_token_settings(settings)
    except RuntimeError as error:
        _fail(str(error))
    _check_port_free(host, port)
    with _journeys(settings) as journeys, _views(settings, journeys, options) as views:
        if demo:
            if next(iter(journeys.case_ids()), None) is None:
                typer.echo(_describe_demo(load_demo(journeys)))
                typer.echo(_describe_cohort(load_cohort(journeys), DEMO_COHORT))
                typer.echo(f"Log position {journeys.log_position()}.")
            else:
                typer.echo("Demo: the store already holds cases; loaded nothing.")
        shown_host = "127.0.0.1" if host in _ANY_ADDRESS else host
        if ":" in shown_host:
            shown_host = f"[{shown_host}]"
        typer.echo(f"Workspace: http://{shown_host}:{port}/")
        typer.echo(f"GraphiQL:  http://{shown_host}:{port}/graphql")
        token = _advocate_token(settings)
        if token is None:
            typer.echo("Tokens:    from your identity provider (RS256).")
        else:
            typer.echo(
                f"Advocate token for {DEMO_ORGANISATION} ({DEMO_ADVOCATE}), "
                "valid 12 hours; paste into GraphiQL's Headers pane:"
            )
            typer.echo(f'  {{"Authorization": "Bearer {token}"}}')
        if views.in_process:
            typer.echo("Views:     kept current by this process.")
        else:
            typer.echo("Views:     kept current by `waymark project`; run it too.")
        uvicorn.run(
            create_app(journeys, settings, views, demo=demo), host=host, port=port
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
        _keep_current(views.workers)


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
        float, typer.Option(help="How long the token is valid, in hours.", min=0.01)
    ] = 12.0,
) -> None:
    """Print a locally signed bearer token."""
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


@app.command()
def verify(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also list intact cases.")
    ] = False,
) -> None:
    """Recompute every case's hash chain; exit 1 if any is broken."""
    settings = _settings()
    checked = broken = unreadable = 0
    with _journeys(settings) as journeys:
        for case_id in journeys.case_ids():
            checked += 1
            try:
                report = journeys.verify_chain(case_id)
            except EventSourcingError as error:
                unreadable += 1
                typer.echo(f"UNREADABLE {case_id}: {error}")
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
    if broken or unreadable:
        typer.echo(
            f"Checked {checked} cases at log position {position}: "
            f"{broken} broken, {unreadable} unreadable, "
            f"{checked - broken - unreadable} intact."
        )
        raise typer.Exit(EXIT_CHECK_FAILED)
    typer.echo(
        f"Checked {checked} cases at log position {position}: every chain is intact."
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
