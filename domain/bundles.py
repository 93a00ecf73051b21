"""Court bundles: a case's evidence documents in lettered sections, paginated.

A bundle is assembled for a purpose (a criminal trial, a CICA review, ...) and
each assembly is a new version of it, recorded as an event: documents move, are
added or removed, and every version stays on record. Pagination follows the
Family Procedure Rules' Practice Direction 27A: sections A, B, C ... and pages
numbered continuously within each section, so page references read ``B/345``
(section B, page 345). A reference is worked out from a named version, so the
chronology read against the newest version re-flows when a document moves,
while one served against an earlier version keeps that version's references.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.errors import InvalidField
from domain.steps import required_text

MAX_SECTIONS = 26
MAX_DOCUMENTS = 1_000
MAX_PAGES = 10_000
NAME_LIMIT = 200
#: A pin cite that names a page of the document: "p. 3", "p3", "page 3", "pp. 3-5".
_PIN_PAGE = re.compile(r"^\s*(?:pp?\.?|pages?)\s*(\d{1,5})", re.IGNORECASE)


class BundlePurpose(StrEnum):
    CRIMINAL_TRIAL = "criminal_trial"
    CICA_REVIEW = "cica_review"
    TRIBUNAL_APPEAL = "tribunal_appeal"
    IMMIGRATION_APPEAL = "immigration_appeal"
    NRM_RECONSIDERATION = "nrm_reconsideration"


@dataclass(frozen=True)
class Placement:
    """Where a document sits in one version of a bundle."""

    section: str
    first_page: int
    last_page: int

    def reference(self, pin: str | None = None) -> str:
        """``B/12`` (or ``B/12-15`` for the whole document); a pin naming a page
        of the document points at that page of the bundle."""
        match = _PIN_PAGE.match(pin or "")
        if match:
            page = self.first_page + int(match.group(1)) - 1
            if page <= self.last_page:
                return f"{self.section}/{page}"
        if self.first_page == self.last_page:
            return f"{self.section}/{self.first_page}"
        return f"{self.section}/{self.first_page}-{self.last_page}"


@dataclass(frozen=True)
class BundleSection:
    letter: str
    title: str
    #: The section's documents in order, each with its number of pages.
    documents: tuple[tuple[UUID, int], ...]


@dataclass(frozen=True)
class Bundle:
    bundle_id: UUID
    version: int
    name: str
    purpose: BundlePurpose
    sections: tuple[BundleSection, ...]

    def placements(self) -> dict[UUID, Placement]:
        """Each document's section and pages, numbered from 1 in each section."""
        placed: dict[UUID, Placement] = {}
        for section in self.sections:
            page = 1
            for document_id, pages in section.documents:
                placed[document_id] = Placement(section.letter, page, page + pages - 1)
                page += pages
        return placed

    def page_counts(self) -> dict[str, int]:
        return {
            section.letter: sum(pages for _, pages in section.documents)
            for section in self.sections
        }

    def as_record(self) -> list[dict[str, Any]]:
        return [
            {
                "letter": section.letter,
                "title": section.title,
                "documents": [
                    {"document_id": str(document_id), "pages": pages}
                    for document_id, pages in section.documents
                ],
            }
            for section in self.sections
        ]

    @classmethod
    def from_record(
        cls,
        bundle_id: UUID,
        version: int,
        name: str,
        purpose: str,
        sections: Sequence[Mapping[str, Any]],
    ) -> Bundle:
        return cls(
            bundle_id=bundle_id,
            version=version,
            name=name,
            purpose=BundlePurpose(purpose),
            sections=tuple(
                BundleSection(
                    letter=section["letter"],
                    title=section["title"],
                    documents=tuple(
                        (UUID(document["document_id"]), int(document["pages"]))
                        for document in section["documents"]
                    ),
                )
                for section in sections
            ),
        )


def parse_sections(
    raw: Sequence[Mapping[str, Any]] | None, attached: set[UUID]
) -> tuple[BundleSection, ...]:
    """Sections as a client states them, checked: letters A, B, C ... in order,
    each document attached to the case, in one place only, with 1 to 10,000
    pages."""
    raw = list(raw or ())
    if not raw:
        raise InvalidField("sections", "give at least one section")
    if len(raw) > MAX_SECTIONS:
        raise InvalidField("sections", f"at most {MAX_SECTIONS} sections (A to Z)")
    seen: set[UUID] = set()
    sections = []
    for index, section in enumerate(raw):
        where = f"sections[{index}]"
        letter = chr(ord("A") + index)
        given = str(section.get("letter") or letter).strip().upper()
        if given != letter:
            raise InvalidField(f"{where}.letter", f"sections run A, B, C ...: {letter}")
        title = required_text(section.get("title"), f"{where}.title", NAME_LIMIT)
        documents = []
        for number, document in enumerate(section.get("documents") or ()):
            at = f"{where}.documents[{number}]"
            try:
                document_id = UUID(str(document.get("document_id")))
            except ValueError:
                raise InvalidField(f"{at}.documentId", "a document id") from None
            if document_id not in attached:
                raise InvalidField(f"{at}.documentId", "no such document on the case")
            if document_id in seen:
                raise InvalidField(f"{at}.documentId", "already placed in this bundle")
            pages = document.get("pages")
            if not isinstance(pages, int) or not 1 <= pages <= MAX_PAGES:
                raise InvalidField(f"{at}.pages", f"a whole number, 1 to {MAX_PAGES}")
            seen.add(document_id)
            documents.append((document_id, pages))
        sections.append(BundleSection(letter, title, tuple(documents)))
    if len(seen) > MAX_DOCUMENTS:
        raise InvalidField("sections", f"at most {MAX_DOCUMENTS} documents")
    if not seen:
        raise InvalidField("sections", "place at least one document")
    return tuple(sections)
