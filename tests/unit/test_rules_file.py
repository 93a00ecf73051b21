"""The committed docs/rules.md is the rules table the clocks apply, and the
README's clock-setting row names exactly the settable rules."""

from __future__ import annotations

import re
from pathlib import Path

from api.export_rules import REGENERATE, RULES_FILE, main, rules_markdown
from api.settings import clock_setting
from domain.clocks import RULES

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_committed_rules_file_is_up_to_date() -> None:
    committed = RULES_FILE.read_text() if RULES_FILE.exists() else ""

    assert committed == rules_markdown(), (
        f"docs/{RULES_FILE.name} is stale: regenerate it with `{REGENERATE}`"
    )


def test_every_rule_has_a_row_with_its_citation_dates_check_mark_and_setting() -> None:
    page = rules_markdown()
    rows = {
        match.group(1): line
        for line in page.splitlines()
        if (match := re.match(r"\| `([a-z0-9-]+)` \|", line))
    }

    assert set(rows) == {rule.id for rule in RULES}
    for rule in RULES:
        row = rows[rule.id]
        assert rule.citation in row
        assert rule.counting_words in row
        if rule.check:
            assert f"| check | `{clock_setting(rule.id)}` |" in row
        else:
            assert row.endswith("|  | none: law |")


def test_a_stale_file_is_reported_with_the_command_that_mends_it(
    tmp_path: Path,
) -> None:
    stale = tmp_path / "rules.md"
    stale.write_text("# old rules\n")

    assert main(["--check", "--output", str(stale)]) == 1
    assert main(["--output", str(stale)]) == 0
    assert main(["--check", "--output", str(stale)]) == 0
    assert stale.read_text() == rules_markdown()


def test_the_readme_lists_the_settable_rules_and_points_to_the_rules_page() -> None:
    readme = README.read_text()
    (row,) = [
        line for line in readme.splitlines() if "`WAYMARK_CLOCK_<RULE_ID>`" in line
    ]
    listed = set(re.findall(r"`([A-Z0-9_]+)`", row.split("Settable:")[1].split(".")[0]))

    assert listed == {
        clock_setting(rule.id).removeprefix("WAYMARK_CLOCK_")
        for rule in RULES
        if rule.check
    }
    assert "docs/rules.md" in row
    # Users never have the developers' domain notes: the README must not send
    # them there (the name is spelt out here so this file does not do so either).
    assert "DOMAIN" + ".md" not in readme
    assert "(docs/rules.md)" in readme
