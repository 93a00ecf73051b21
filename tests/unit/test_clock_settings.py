"""The legal clocks' *(check)* periods as settings: ``WAYMARK_CLOCK_<RULE_ID>``,
read by ``Settings.from_environ`` and built into a rule book once by the
composition root."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.bootstrap import build_rule_book
from api.cli import app
from api.settings import Settings, clock_periods, clock_setting
from domain.clocks import DEFAULT_RULES, Period, Unit

SECRET = {"WAYMARK_TOKEN_SECRET": "s" * 40}


def test_a_rule_id_becomes_an_upper_case_variable_name() -> None:
    assert clock_setting("cica-2012-review") == "WAYMARK_CLOCK_CICA_2012_REVIEW"
    assert clock_setting("nrm-recovery-ew-30") == "WAYMARK_CLOCK_NRM_RECOVERY_EW_30"


def test_no_clock_variables_leave_the_default_periods(tmp_path: Path) -> None:
    settings = Settings.from_environ(SECRET, workdir=tmp_path)

    assert dict(settings.clock_periods) == {}
    assert build_rule_book(settings) is DEFAULT_RULES


def test_a_check_rule_period_is_read_and_set_in_the_rule_book(tmp_path: Path) -> None:
    settings = Settings.from_environ(
        {
            **SECRET,
            "WAYMARK_CLOCK_CICA_2012_REVIEW": " 42 ",
            "WAYMARK_CLOCK_NRM_RG_5_WORKING_DAYS": "10",
            "WAYMARK_CLOCK_CICA_2008_REVIEW": "",  # blank: the default
            "WAYMARK_DRIFT_DAYS": "14",  # not a clock setting
        },
        workdir=tmp_path,
    )

    assert dict(settings.clock_periods) == {
        "cica-2012-review": 42,
        "nrm-rg-5-working-days": 10,
    }
    rules = build_rule_book(settings)
    review = rules["cica-2012-review"]
    assert review.period == Period(42, Unit.DAYS)
    assert review.default_period == Period(56, Unit.DAYS)
    assert "set to 42 days by a setting; the default is 56 days" in review.citation
    assert rules["nrm-rg-5-working-days"].period == Period(10, Unit.WORKING_DAYS)
    assert rules["cica-2008-review"].period == Period(90, Unit.DAYS)


def test_the_default_is_kept_in_tests_that_build_settings_directly() -> None:
    settings = Settings(
        persistence={},
        token_secret="s" * 40,
        token_issuer="waymark",
        token_audience="waymark",
        token_public_key=None,
    )
    assert dict(settings.clock_periods) == {}


@pytest.mark.parametrize("value", ["forty", "0", "-3", "4.5", "1e2", "٤٢"])
def test_a_bad_period_is_refused_naming_the_variable(value: str) -> None:
    with pytest.raises(ValueError, match="WAYMARK_CLOCK_CICA_2012_REVIEW") as error:
        clock_periods({"WAYMARK_CLOCK_CICA_2012_REVIEW": value})
    assert "whole number of days" in str(error.value)


@pytest.mark.parametrize(
    "name",
    [
        "WAYMARK_CLOCK_FTT_SEC_2008_R22",
        # Checked against their primary sources, so no longer settable.
        "WAYMARK_CLOCK_CICA_2012_PARA_88_1_A",
        "WAYMARK_CLOCK_CICA_2008_PARA_18",
        "WAYMARK_CLOCK_NRM_RECOVERY_EW_30",
        "WAYMARK_CLOCK_NRM_RECOVERY_EW_45",
    ],
)
def test_a_rule_that_is_law_is_refused_naming_the_variable(name: str) -> None:
    with pytest.raises(ValueError, match=name) as error:
        clock_periods({name: "120"})
    assert "law, not a setting" in str(error.value)


def test_a_variable_naming_no_rule_is_refused_listing_the_settable_ones() -> None:
    with pytest.raises(ValueError, match="WAYMARK_CLOCK_CICA_REVIEW") as error:
        clock_periods({"WAYMARK_CLOCK_CICA_REVIEW": "42"})
    message = str(error.value)
    assert "names no clock rule" in message
    assert "WAYMARK_CLOCK_CICA_2012_REVIEW" in message
    assert "WAYMARK_CLOCK_FTT_SEC_2008_R22" not in message


def test_the_command_line_refuses_a_bad_override_at_startup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        app,
        ["token"],
        env={**SECRET, "WAYMARK_CLOCK_CICA_2012_REVIEW": "soon"},
    )

    assert result.exit_code == 2
    assert "WAYMARK_CLOCK_CICA_2012_REVIEW" in result.output
