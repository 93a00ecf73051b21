"""The web workspace is served by the API's own process: its page at every path
the API does not answer, its sign-in settings, the embedded demo's sign-in (only
when serving the demo), GraphiQL only when switched on, and the date preview its
step form shows before a step is saved."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from api import workspace
from api.app import create_app
from api.settings import Settings
from demo.cases import DEMO_COUNSEL
from domain.application import CaseJourneys
from tests.e2e.conftest import Api, Server

DESCRIBE = """query ($edtf: String!) {
  describeDate(edtf: $edtf) {
    __typename
    ... on DateDescription { edtf display earliest latest }
    ... on ValidationFailed { field message }
  }
}"""


@pytest.fixture
def dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A built workspace: its page, an asset and the GraphiQL page."""
    built = tmp_path / "dist"
    (built / "assets").mkdir(parents=True)
    (built / "index.html").write_text("<!doctype html><title>Waymark</title>")
    (built / "graphiql.html").write_text("<!doctype html><title>GraphiQL</title>")
    (built / "assets" / "main-abc123.js").write_text("console.log('waymark')")
    monkeypatch.setattr(workspace, "WORKSPACE_DIST", built)
    return built


@pytest.fixture
def demo_http(
    server: Server, journeys: CaseJourneys, settings: Settings, dist: Path
) -> Iterator[httpx.Client]:
    with server.mounted(create_app(journeys, settings, demo=True)) as http:
        yield http


@pytest.fixture
def plain_http(
    server: Server, journeys: CaseJourneys, settings: Settings, dist: Path
) -> Iterator[httpx.Client]:
    with server.mounted(create_app(journeys, settings)) as http:
        yield http


def test_the_page_answers_every_path_the_api_does_not(
    plain_http: httpx.Client,
) -> None:
    for path in ("/", "/cases/59a5e085-05df-517f-bc0d-3fd438601ec3", "/evaluation"):
        response = plain_http.get(path)
        assert response.status_code == 200, path
        assert "<title>Waymark</title>" in response.text
        assert response.headers["cache-control"] == "no-cache"

    asset = plain_http.get("/assets/main-abc123.js")
    assert asset.status_code == 200
    assert "immutable" in asset.headers["cache-control"]
    assert plain_http.get("/assets/missing.js").status_code == 404
    assert plain_http.get("/healthz").json() == {"status": "alive"}
    assert plain_http.get("/workspace/anything").status_code == 404


def test_outside_the_demo_there_is_no_demo_sign_in(plain_http: httpx.Client) -> None:
    config = plain_http.get("/workspace-config.json").json()
    assert config == {"demo": None, "oidc": None, "graphiql": False}

    response = plain_http.post("/workspace/demo-token", json={"user": "advocate"})

    assert response.status_code == 404
    assert "token" not in response.json()


def test_the_demo_mints_a_short_lived_token_for_each_demo_user_only(
    demo_http: httpx.Client,
) -> None:
    config = demo_http.get("/workspace-config.json").json()
    keys = [user["key"] for user in config["demo"]["users"]]
    assert keys == ["advocate", "counsel", "manager", "evaluator"]

    answer = demo_http.post("/workspace/demo-token", json={"user": "counsel"})
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    token = answer.json()["token"]
    viewer = demo_http.post(
        "/graphql",
        json={"query": "{ viewer { subject role organisationId } }"},
        headers={"Authorization": f"Bearer {token}"},
    ).json()["data"]["viewer"]
    assert viewer == {
        "subject": DEMO_COUNSEL,
        "role": "counsel",
        "organisationId": "org-north",
    }

    for body in ({"user": "administrator"}, {"user": 3}, [], None):
        refused = demo_http.post("/workspace/demo-token", json=body)
        assert refused.status_code == 422, body
        assert "token" not in refused.json()


@pytest.mark.parametrize(
    "provider_keys",
    [
        {"token_public_key": "-----BEGIN PUBLIC KEY-----\n..."},
        {"token_jwks_url": "https://id.example.org/realms/imsa/certs"},
        {"token_discovery": True},
    ],
    ids=["public key", "key set", "discovery"],
)
def test_a_deployment_trusting_an_identity_provider_offers_it_and_no_demo(
    server: Server,
    journeys: CaseJourneys,
    settings: Settings,
    dist: Path,
    provider_keys: dict[str, object],
) -> None:
    provider = replace(
        settings,
        oidc_issuer="https://id.example.org/realms/imsa",
        oidc_client_id="waymark-workspace",
        token_issuer="https://id.example.org/realms/imsa",
        **provider_keys,  # type: ignore[arg-type]
    )
    with server.mounted(create_app(journeys, provider, demo=True)) as http:
        config = http.get("/workspace-config.json").json()
        refused = http.post("/workspace/demo-token", json={"user": "advocate"})
        policy = http.get("/").headers["content-security-policy"]

    assert config["demo"] is None
    assert config["oidc"] == {
        "issuer": "https://id.example.org/realms/imsa",
        "clientId": "waymark-workspace",
    }
    assert refused.status_code == 404
    # The page fetches the provider's discovery document and token endpoint.
    assert "connect-src 'self' https://id.example.org;" in policy


def test_graphiql_is_served_only_when_switched_on(
    server: Server,
    journeys: CaseJourneys,
    settings: Settings,
    dist: Path,
    plain_http: httpx.Client,
) -> None:
    assert plain_http.get("/graphiql").status_code == 404
    workspace = plain_http.get("/").headers["content-security-policy"]
    assert "font-src 'self';" in workspace
    assert "connect-src 'self';" in workspace

    with server.mounted(create_app(journeys, replace(settings, graphiql=True))) as http:
        page = http.get("/graphiql")

    assert page.status_code == 200
    assert "<title>GraphiQL</title>" in page.text
    policy = page.headers["content-security-policy"]
    assert "font-src 'self' data:" in policy
    assert "script-src 'self';" in policy


def test_an_installed_server_serves_the_workspace_it_is_told_of(
    server: Server, journeys: CaseJourneys, settings: Settings, tmp_path: Path
) -> None:
    """The Docker image installs Waymark as a package, so ``web/dist`` of a
    checkout is not there: ``WAYMARK_WORKSPACE_DIR`` names the copy it serves."""
    copied = tmp_path / "srv" / "workspace"
    (copied / "assets").mkdir(parents=True)
    (copied / "index.html").write_text("<!doctype html><title>Copied</title>")
    told = Settings.from_environ(
        {"WAYMARK_WORKSPACE_DIR": str(copied)}, workdir=tmp_path
    )
    assert told.workspace_dir == copied
    with pytest.raises(ValueError, match="WAYMARK_WORKSPACE_DIR"):
        Settings.from_environ(
            {"WAYMARK_WORKSPACE_DIR": str(tmp_path / "missing")}, workdir=tmp_path
        )

    with server.mounted(
        create_app(journeys, replace(settings, workspace_dir=copied))
    ) as http:
        page = http.get("/cases/anything")

    assert page.status_code == 200
    assert "<title>Copied</title>" in page.text


def test_the_date_preview_prints_a_date_as_the_chronology_will(api: Api) -> None:
    described = api.call(DESCRIBE, {"edtf": " 2019-06~ "})["describeDate"]
    undated = api.call(DESCRIBE, {"edtf": ""})["describeDate"]

    assert described == {
        "__typename": "DateDescription",
        "edtf": "2019-06~",
        "display": "c. June 2019",
        "earliest": "2019-06-01",
        "latest": "2019-06-30",
    }
    assert undated["display"] == "undated"


def test_the_date_preview_refuses_what_a_step_would_refuse(api: Api) -> None:
    for text in ("2019-13", "3019", "x" * 101):
        refused = api.call(DESCRIBE, {"edtf": text})["describeDate"]
        assert refused["__typename"] == "ValidationFailed", text
        assert refused["field"] == "edtf"
        assert refused["message"]
