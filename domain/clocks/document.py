"""The rules table users read (``docs/rules.md``), rendered from the rule objects
the clocks apply, so the page cannot say one thing while the code does another.

``rules_document`` is pure: it is given how a rule's setting is named, which is
the deployment's business (``api.settings.clock_setting``); ``python -m
api.export_rules`` writes the file.
"""

from __future__ import annotations

from collections.abc import Callable

from domain.clocks.calendar import say
from domain.clocks.rules import JURISDICTION_NAMES, Rule, RuleBook

_INTRODUCTION = """\
# The legal clocks and the rules they follow

Waymark judges a case's legal clocks from its steps. Each clock follows one of
the rules below: where it applies, its period and how that period counts, its
source, when it was in force, and whether it is a setting. This page is written
from the rules the code applies: change a rule and this page changes with it.

## How a rule is chosen

- **A CICA application** is judged under the Scheme in force on the day CICA
  receives it (the day of its `compensation.cica_application_submitted` step);
  while no application is on record, under the Scheme in force on the day
  judged. A **review** and a **tribunal appeal** follow the Scheme their
  application was made under; with no application on record, the rule in
  force on the day of the decision.
- A survivor **under 18 at the incident** has a child's window under the 2012
  Scheme (para 88(1)): reported to the police before their 18th birthday, the
  application is due before their 20th birthday; first reported on or after
  it, within 2 years of that first report. Until a report is on record the
  window has **not started** (status `NOT_STARTED`), never missed.
- **NRM clocks** follow the rule in force on the day they started.
- A clock follows the rules and bank holidays of the jurisdiction the case was
  in on the day it started.

## How dates are read

- Each rule counts as its own words say (the *Counting* column). The due date
  shown is the **last day the act is in time**. Where the rule says so, a time
  that ends on a day that is not a working day runs to the next working day,
  and the clock's explanation says why its date moved.
- A clock started by an uncertain date runs from its earliest possible day, so
  its due date is the **earliest possible** one; a step that meets a deadline
  is judged by its latest possible day; a step that cuts a period short, by its
  earliest.

## Check marks and settings

A rule marked **check** rests on secondary sources only. Its citation says so,
and its period is a setting, in the rule's own unit (for example
`WAYMARK_CLOCK_CICA_2012_REVIEW=42`). Every other rule was checked against its
primary source: it is law, not a setting, and a variable naming it stops
startup.
"""


def rules_document(rules: RuleBook, setting_name: Callable[[Rule], str]) -> str:
    """The Markdown page: the introduction, the table, then each rule in full."""
    rows = [
        "| Rule | Clock | Where | Period | Counting | Citation | In force from "
        "| In force to | Check | Setting |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    ordered = rules.rules  # as the rules are written: by clock, oldest first
    for rule in ordered:
        rows.append(
            "| "
            + " | ".join(
                _cell(cell)
                for cell in (
                    f"`{rule.id}`",
                    rule.clock.label,
                    _where(rule),
                    rule.period_words,
                    rule.counting_words,
                    rule.citation,
                    say(rule.took_effect),
                    say(rule.ended) if rule.ended else "in force",
                    "check" if rule.check else "",
                    f"`{setting_name(rule)}`" if rule.check else "none: law",
                )
            )
            + " |"
        )
    sections = [_INTRODUCTION, "## The rules\n", "\n".join(rows), ""]
    for rule in ordered:
        sections.append(f"### `{rule.id}`\n")
        sections.append(f"{rule.description}\n")
        if rule.dates_note:
            sections.append(f"Its dates: {rule.dates_note}.\n")
        for heading, needs in (
            ("Done late", rule.if_late),
            ("Not done by the due date", rule.if_overdue),
            ("Support ended early", rule.if_cut_short),
            ("Conclusive grounds decision made too early", rule.if_decided_early),
        ):
            if needs:
                sections.append(f"{heading}: {'; '.join(needs)}.\n")
    return "\n".join(sections).rstrip("\n") + "\n"


def _where(rule: Rule) -> str:
    return ", ".join(JURISDICTION_NAMES[where] for where in sorted(rule.jurisdictions))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
