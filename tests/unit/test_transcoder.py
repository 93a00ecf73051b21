"""Tests for storage.transcoder.OrjsonTranscoder."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

# Make the project importable without an installed package or a conftest.
import pytest
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Transcoder,
    Transcoding,
    TranscodingNotRegisteredError,
    UUIDAsHex,
)
from eventsourcing.tests import persistence as kit
from eventsourcing.tests.persistence import (
    CustomType1,
    CustomType1AsDict,
    CustomType2,
    CustomType2AsDict,
    MyClass,
    Mydict,
    MyInt,
    MyList,
    MyStr,
)

from storage.transcoder import DateAsISO, OrjsonTranscoder


class MydictAsDict(Transcoding):
    type = Mydict
    name = "mydict"

    def encode(self, obj: Mydict[Any, Any]) -> dict[Any, Any]:
        return dict(obj)

    def decode(self, data: dict[Any, Any]) -> Mydict[Any, Any]:
        assert isinstance(data, dict)
        return Mydict(data)


class MyListAsList(Transcoding):
    type = MyList
    name = "mylist"

    def encode(self, obj: MyList[Any]) -> list[Any]:
        return list(obj)

    def decode(self, data: list[Any]) -> MyList[Any]:
        assert isinstance(data, list)
        return MyList(data)


class MyStrAsStr(Transcoding):
    type = MyStr
    name = "mystr"

    def encode(self, obj: MyStr) -> str:
        return str(obj)

    def decode(self, data: str) -> MyStr:
        assert isinstance(data, str)
        return MyStr(data)


class MyIntAsInt(Transcoding):
    type = MyInt
    name = "myint"

    def encode(self, obj: MyInt) -> int:
        return int(obj)

    def decode(self, data: int) -> MyInt:
        assert isinstance(data, int)
        return MyInt(data)


def make_transcoder() -> OrjsonTranscoder:
    transcoder = OrjsonTranscoder()
    transcoder.register(CustomType1AsDict())
    transcoder.register(CustomType2AsDict())
    transcoder.register(MydictAsDict())
    transcoder.register(MyListAsList())
    transcoder.register(MyStrAsStr())
    transcoder.register(MyIntAsInt())
    return transcoder


def make_json_transcoder() -> JSONTranscoder:
    """A JSONTranscoder set up like an eventsourcing Application's, plus dates."""
    transcoder = JSONTranscoder()
    transcoder.register(UUIDAsHex())
    transcoder.register(DecimalAsStr())
    transcoder.register(DatetimeAsISO())
    transcoder.register(DateAsISO())
    transcoder.register(CustomType1AsDict())
    transcoder.register(CustomType2AsDict())
    return transcoder


# The kit is used through its module so that pytest does not collect the
# abstract TranscoderTestCase itself.
class TestOrjsonTranscoderWithLibraryKit(kit.TranscoderTestCase):
    def construct_transcoder(self) -> Transcoder:
        return make_transcoder()


def round_trip(obj: Any) -> Any:
    transcoder = make_transcoder()
    return transcoder.decode(transcoder.encode(obj))


def test_a_uuid_round_trips_as_hex() -> None:
    value = UUID("b2723fe2-c01a-40d2-875e-a3aac6a09ff5")
    data = make_transcoder().encode(value)
    assert data == b'{"_type_":"uuid_hex","_data_":"b2723fe2c01a40d2875ea3aac6a09ff5"}'
    copy = round_trip(value)
    assert type(copy) is UUID
    assert copy == value


def test_a_date_round_trips_as_a_date_not_a_datetime() -> None:
    value = date(2024, 2, 29)
    data = make_transcoder().encode(value)
    assert data == b'{"_type_":"date_iso","_data_":"2024-02-29"}'
    copy = round_trip(value)
    assert type(copy) is date
    assert copy == value


def test_a_tz_aware_datetime_round_trips_with_microseconds_and_offset() -> None:
    value = datetime(
        2025, 3, 4, 5, 6, 7, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30))
    )
    data = make_transcoder().encode(value)
    assert data == (
        b'{"_type_":"datetime_iso","_data_":"2025-03-04T05:06:07.123456+05:30"}'
    )
    copy = round_trip(value)
    assert type(copy) is datetime
    assert copy == value
    assert copy.utcoffset() == timedelta(hours=5, minutes=30)
    assert copy.microsecond == 123456


def test_a_utc_datetime_round_trips_as_utc() -> None:
    value = datetime(2025, 1, 1, 0, 0, 0, 1, tzinfo=UTC)
    copy = round_trip(value)
    assert copy == value
    assert copy.utcoffset() == timedelta(0)


def test_a_decimal_round_trips_exactly() -> None:
    value = Decimal("12345678901234567890.000000000000000001")
    data = make_transcoder().encode(value)
    assert data == (
        b'{"_type_":"decimal_str","_data_":"12345678901234567890.000000000000000001"}'
    )
    copy = round_trip(value)
    assert type(copy) is Decimal
    assert copy == value
    assert str(copy) == str(value)


def test_a_nested_sample_is_byte_for_byte_equal_to_json_transcoder() -> None:
    sample = {
        "originator_id": UUID("b2723fe2-c01a-40d2-875e-a3aac6a09ff5"),
        "originator_version": 3,
        "timestamp": datetime(2025, 3, 4, 5, 6, 7, 123456, tzinfo=UTC),
        "born": date(1990, 12, 31),
        "amount": Decimal("10.50"),
        "ratio": 0.25,
        "big": 2**63,
        "flag": True,
        "nothing": None,
        "name": "Ana María Ñúñez 🐈 哈哈",
        "quote": 'she said "no" \\ then left\n\t',
        "controls": "".join(chr(c) for c in range(0x20)) + "\x7f\u2028\u2029",
        "_type_": "not a transcoded object, because there are more than two keys",
        "address": {"lines": ["1 High St", "Flat 2"], "postcode": None},
        "contacts": [
            {"id": UUID(int=1), "at": datetime(2024, 1, 1, tzinfo=UTC)},
            {"id": UUID(int=2), "nested": [[], {}, [{"deep": Decimal("1E+3")}]]},
        ],
        "custom": CustomType2(CustomType1(UUID(int=3))),
        "empty_dict": {},
        "empty_list": [],
    }
    expected = make_json_transcoder().encode(sample)
    assert make_transcoder().encode(sample) == expected
    assert make_transcoder().decode(expected) == make_json_transcoder().decode(expected)
    assert round_trip(sample) == sample


def test_containers_that_need_no_change_are_not_copied_or_mutated() -> None:
    transcoder = make_transcoder()
    inner = {"a": [1, 2.5, "x", None, True]}
    obj = {"inner": inner, "list": [inner]}
    assert transcoder._encode_dict(obj) is obj
    changed = {"inner": inner, "when": date(2020, 1, 1)}
    encoded = transcoder._encode_dict(changed)
    assert encoded is not changed
    assert encoded["inner"] is inner
    assert changed["when"] == date(2020, 1, 1)


def test_tuples_and_subclasses_keep_their_types() -> None:
    obj = {
        "tuple": (1, (2, "b"), [3]),
        "mystr": MyStr("s"),
        "myint": MyInt(4),
        "mylist": MyList([MyStr("t")]),
        "mydict": Mydict({"k": (5,)}),
    }
    copy = round_trip(obj)
    assert copy == obj
    assert type(copy["tuple"]) is tuple
    assert type(copy["tuple"][1]) is tuple
    assert type(copy["mylist"][0]) is MyStr
    assert type(copy["mydict"]["k"]) is tuple


def test_an_unregistered_subclass_of_a_plain_type_is_refused() -> None:
    class Unregistered(int):
        pass

    with pytest.raises(TranscodingNotRegisteredError) as info:
        OrjsonTranscoder().encode({"a": [Unregistered(1)]})
    assert str(info.value) == (
        f"Object of type {Unregistered} is not serializable. Please define "
        "and register a custom transcoding for this type."
    )


def test_the_error_messages_match_json_transcoder() -> None:
    for transcoder in (make_transcoder(), make_json_transcoder()):
        with pytest.raises(TranscodingNotRegisteredError) as encode_info:
            transcoder.encode([MyClass()])
        with pytest.raises(TranscodingNotRegisteredError) as decode_info:
            transcoder.decode(b'[{"_type_":"unknown","_data_":1}]')
        assert "MyClass'> is not serializable" in str(encode_info.value)
        assert str(decode_info.value) == (
            "Data serialized with name 'unknown' is not deserializable. "
            "Please register a custom transcoding for this type."
        )


def test_non_finite_floats_are_refused_rather_than_written_as_null() -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        OrjsonTranscoder().encode({"x": [float("nan")]})


def test_non_finite_floats_written_by_json_transcoder_still_decode() -> None:
    data = make_json_transcoder().encode({"x": float("inf"), "id": UUID(int=7)})
    assert OrjsonTranscoder().decode(data) == {"x": float("inf"), "id": UUID(int=7)}


def test_non_string_dict_keys_are_refused() -> None:
    with pytest.raises(TypeError):
        OrjsonTranscoder().encode({1: "a"})


def test_a_transcoding_can_be_replaced_by_registering_the_same_name() -> None:
    class DateAsOrdinal(Transcoding):
        type = date
        name = "date_iso"

        def encode(self, obj: date) -> int:
            return obj.toordinal()

        def decode(self, data: int) -> date:
            return date.fromordinal(data)

    transcoder = OrjsonTranscoder()
    transcoder.register(DateAsOrdinal())
    value = date(2000, 1, 1)
    assert transcoder.encode(value) == b'{"_type_":"date_iso","_data_":730120}'
    assert transcoder.decode(transcoder.encode(value)) == value
