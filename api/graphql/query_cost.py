"""What a query document would cost to run, measured in one pass over its text.

A fragment spread stands for the fragment's whole selection, so a document of a
few hundred characters can stand for millions of fields: fragments that spread
the one below twice, twenty-five deep, stand for 2^25. Walking each spread again
(as Strawberry's depth and alias limiters do) takes as long as running it would;
here each fragment is measured once and its measure reused wherever it is
spread, so measuring is linear in the document's length whatever it stands for.

Measured, over every operation in the document, with fragments expanded:

- ``fields``: the field selections it stands for (the cost);
- ``depth``: the deepest nesting of selections, introspection fields (``__``)
  not counted, as Strawberry's ``QueryDepthLimiter`` counts it;
- ``aliases``: the aliased fields it stands for.

Counts stop growing past a cap (any count beyond the limits is refused alike),
so even absurd documents are measured with small numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

#: Deep enough for a chronology row's history sources; no recursion is needed.
MAX_DEPTH = 8
MAX_ALIASES = 30
#: Field selections an operation may stand for, fragments expanded.
MAX_FIELDS = 2_000
#: Counts saturate here: beyond every limit, and small enough to stay cheap.
_CAP = 1 << 32
REFUSAL_CODE = "QUERY_TOO_COSTLY"


@dataclass(frozen=True)
class Cost:
    fields: int = 0
    depth: int = 0
    aliases: int = 0

    def __add__(self, other: Cost) -> Cost:
        """Selections side by side: counts add, the depth is the deeper."""
        return Cost(
            min(self.fields + other.fields, _CAP),
            max(self.depth, other.depth),
            min(self.aliases + other.aliases, _CAP),
        )


@dataclass(frozen=True)
class QueryLimits:
    max_fields: int = MAX_FIELDS
    max_depth: int = MAX_DEPTH
    max_aliases: int = MAX_ALIASES

    def refusal(self, document: DocumentNode) -> GraphQLError | None:
        """A typed error if the document would cost more than these limits."""
        cost = measure(document)
        excess = [
            f"{cost.fields} field selections (at most {self.max_fields})"
            if cost.fields > self.max_fields
            else "",
            f"depth {cost.depth} (at most {self.max_depth})"
            if cost.depth > self.max_depth
            else "",
            f"{cost.aliases} aliases (at most {self.max_aliases})"
            if cost.aliases > self.max_aliases
            else "",
        ]
        reasons = [reason for reason in excess if reason]
        if not reasons:
            return None
        return GraphQLError(
            "the query is too costly to run: it stands for "
            + "; ".join(reasons)
            + ", counting every fragment where it is spread",
            extensions={"code": REFUSAL_CODE},
        )


class _Measure:
    """One document's fragments, each measured at most once."""

    def __init__(self, document: DocumentNode) -> None:
        self.fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.measured: dict[str, Cost] = {}
        self.measuring: set[str] = set()
        #: Fragment definitions walked: never more than there are fragments.
        self.fragments_walked = 0

    def selections(self, selection_set: SelectionSetNode | None) -> Cost:
        total = Cost()
        if selection_set is None:
            return total
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection)
            elif isinstance(selection, InlineFragmentNode):
                total += self.selections(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total

    def field(self, node: FieldNode) -> Cost:
        inner = self.selections(node.selection_set)
        nested = node.selection_set is not None and not node.name.value.startswith("__")
        return Cost(
            fields=min(1 + inner.fields, _CAP),
            depth=1 + inner.depth if nested else 0,
            aliases=min(inner.aliases + (node.alias is not None), _CAP),
        )

    def fragment(self, name: str) -> Cost:
        known = self.measured.get(name)
        if known is not None:
            return known
        definition = self.fragments.get(name)
        if definition is None or name in self.measuring:
            # Unknown or cyclic: validation refuses the document anyway.
            return Cost()
        self.measuring.add(name)
        self.fragments_walked += 1
        cost = self.selections(definition.selection_set)
        self.measuring.discard(name)
        self.measured[name] = cost
        return cost


def measure(document: DocumentNode) -> Cost:
    """The document's cost: every operation's, fragments expanded."""
    return measure_counting(document)[0]


def measure_counting(document: DocumentNode) -> tuple[Cost, int]:
    """The cost, and how many fragment definitions were walked to find it."""
    walk = _Measure(document)
    total = Cost()
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            total += walk.selections(definition.selection_set)
    return total, walk.fragments_walked
