"""An orjson-based transcoder that writes the same bytes as ``JSONTranscoder``."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

import orjson
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    Transcoder,
    Transcoding,
    TranscodingNotRegisteredError,
    UUIDAsHex,
)

# Values of exactly these types are written by orjson as they are. ``float`` is
# left out on purpose: it needs a finiteness check (see ``_encode_other``).
_PLAIN: frozenset[type] = frozenset({str, int, bool, type(None)})

# ``JSONTranscoder`` never escapes ASCII, so an encoded object of a registered
# type always contains these exact bytes.
_TYPE_KEY_BYTES = b'"_type_"'


class DateAsISO(Transcoding):
    """Represents :class:`datetime.date` objects as ISO 8601 strings."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        assert isinstance(data, str)
        return date.fromisoformat(data)


class TupleAsList(Transcoding):
    """Represents :class:`tuple` objects as JSON arrays."""

    type = tuple
    name = "tuple_as_list"

    def encode(self, obj: tuple[Any, ...]) -> list[Any]:
        return list(obj)

    def decode(self, data: list[Any]) -> tuple[Any, ...]:
        assert isinstance(data, list)
        return tuple(data)


class OrjsonTranscoder(Transcoder):
    """Drop-in replacement for eventsourcing's ``JSONTranscoder`` that uses orjson.

    Why not the published ``eventsourcing-orjsontranscoder`` package? It is
    unmaintained, needs a Cython build, and pins ``orjson<3.7``, which conflicts
    with the orjson that the rest of Waymark uses. This class is plain Python
    on top of the current orjson.

    Format: the bytes are the same as ``JSONTranscoder`` writes for the same
    input (compact separators, non-ASCII written as UTF-8, an object of a
    registered type written as ``{"_type_": name, "_data_": encoded}``, where
    the encoded value may itself contain registered types). Existing records
    decode the same way, bottom-up, like ``json``'s ``object_hook``.

    Only values of exactly ``str``, ``int``, ``float``, ``bool``, ``None``,
    ``dict`` and ``list`` pass through. Everything else, including tuples and
    subclasses of those types (which ``json`` and orjson would otherwise write
    silently as their base type, losing the type), must have a registered
    transcoding, or encoding raises ``TranscodingNotRegisteredError``.
    Lookup is by exact type, so ``datetime`` and ``date`` use different
    transcodings. ``UUIDAsHex``, ``DecimalAsStr``, ``DatetimeAsISO``,
    ``DateAsISO`` and ``TupleAsList`` are registered by default.

    Note that ``Application.construct_transcoder()`` only calls
    ``register_transcodings()`` for ``JSONTranscoder`` instances, so an
    application that uses this class must register its own transcodings on it.

    Where the two differ, this class fails loudly instead of writing data that
    would not round-trip:

    - dict keys must be ``str``; ``json`` turns int, float, bool and None keys
      into strings, so they decode as different keys;
    - NaN and infinity raise ``ValueError``; ``json`` writes non-standard
      ``NaN``/``Infinity`` (such records are still decoded, through ``json``);
    - integers outside the 64-bit range raise ``TypeError``.

    Floats are written as Python's ``repr`` except that orjson leaves out the
    leading zero of a short exponent (``1e-7`` where ``json`` writes ``1e-07``);
    both decode to the same value.
    """

    def __init__(self) -> None:
        self.types: dict[type, Transcoding] = {}
        self.names: dict[str, Transcoding] = {}
        self.register(UUIDAsHex())
        self.register(DecimalAsStr())
        self.register(DatetimeAsISO())
        self.register(DateAsISO())
        self.register(TupleAsList())

    def register(self, transcoding: Transcoding) -> None:
        """Registers the given transcoding, replacing one with its type or name."""
        self.types[transcoding.type] = transcoding
        self.names[transcoding.name] = transcoding

    # Encoding: walk the object, replacing values of registered types with
    # {"_type_", "_data_"} dicts. Containers that need no change are not copied.

    def encode(self, obj: Any) -> bytes:
        """Encodes the given object as JSON bytes."""
        t = type(obj)
        if t is dict:
            obj = self._encode_dict(obj)
        elif t is list:
            obj = self._encode_list(obj)
        elif t not in _PLAIN:
            obj = self._encode_other(obj, t)
        return orjson.dumps(obj)

    def _encode_dict(self, d: dict[Any, Any]) -> dict[Any, Any]:
        new: dict[Any, Any] | None = None
        for k, v in d.items():
            t = type(v)
            if t in _PLAIN:
                continue
            e: Any
            if t is dict:
                e = self._encode_dict(v)
            elif t is list:
                e = self._encode_list(v)
            else:
                e = self._encode_other(v, t)
            if e is not v:
                if new is None:
                    new = d.copy()
                new[k] = e
        return d if new is None else new

    def _encode_list(self, lst: list[Any]) -> list[Any]:
        new: list[Any] | None = None
        for i, v in enumerate(lst):
            t = type(v)
            if t in _PLAIN:
                continue
            e: Any
            if t is dict:
                e = self._encode_dict(v)
            elif t is list:
                e = self._encode_list(v)
            else:
                e = self._encode_other(v, t)
            if e is not v:
                if new is None:
                    new = lst.copy()
                new[i] = e
        return lst if new is None else new

    def _encode_other(self, obj: Any, t: type) -> Any:
        if t is float:
            if not math.isfinite(obj):
                msg = f"Out of range float values are not JSON compliant: {obj!r}"
                raise ValueError(msg)
            return obj
        try:
            transcoding = self.types[t]
        except KeyError:
            msg = (
                f"Object of type {t} is not "
                "serializable. Please define and register "
                "a custom transcoding for this type."
            )
            raise TranscodingNotRegisteredError(msg) from None
        data = transcoding.encode(obj)
        dt = type(data)
        if dt not in _PLAIN:
            if dt is dict:
                data = self._encode_dict(data)
            elif dt is list:
                data = self._encode_list(data)
            else:
                data = self._encode_other(data, dt)
        return {"_type_": transcoding.name, "_data_": data}

    # Decoding: orjson returns fresh containers, so they are updated in place,
    # children first, so that "_data_" is already decoded when its transcoding
    # sees it (as with json's object_hook).

    def decode(self, data: bytes) -> Any:
        """Decodes JSON bytes into the object that was encoded."""
        try:
            obj = orjson.loads(data)
        except orjson.JSONDecodeError:
            # JSONTranscoder could write NaN and Infinity, which orjson rejects.
            obj = json.loads(data)
        if _TYPE_KEY_BYTES not in data:
            return obj
        t = type(obj)
        if t is dict:
            return self._decode_dict(obj)
        if t is list:
            self._decode_list(obj)
        return obj

    def _decode_dict(self, d: dict[str, Any]) -> Any:
        if len(d) == 2 and "_type_" in d and "_data_" in d:
            data = d["_data_"]
            t = type(data)
            if t is dict:
                data = self._decode_dict(data)
            elif t is list:
                self._decode_list(data)
            name = d["_type_"]
            try:
                transcoding = self.names[name]
            except KeyError:
                msg = (
                    f"Data serialized with name '{name}' is not "
                    "deserializable. Please register a "
                    "custom transcoding for this type."
                )
                raise TranscodingNotRegisteredError(msg) from None
            return transcoding.decode(data)
        for k, v in d.items():
            t = type(v)
            if t is dict:
                e = self._decode_dict(v)
                if e is not v:
                    d[k] = e  # Same key, so the dict's size does not change.
            elif t is list:
                self._decode_list(v)
        return d

    def _decode_list(self, lst: list[Any]) -> None:
        for i, v in enumerate(lst):
            t = type(v)
            if t is dict:
                e = self._decode_dict(v)
                if e is not v:
                    lst[i] = e
            elif t is list:
                self._decode_list(v)
