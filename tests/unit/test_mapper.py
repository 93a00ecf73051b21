"""The chain-preserving mapper passes the library's factory kit and keeps recorded hashes."""

from __future__ import annotations

import zlib
from datetime import date
from typing import Any
from uuid import uuid4

from eventsourcing.cipher import AESCipher
from eventsourcing.persistence import (
    InfrastructureFactory,
    StoredEvent,
)
from eventsourcing.popo import (
    POPOFactory,
)
from eventsourcing.tests.persistence import InfrastructureFactoryTestCase
from eventsourcing.utils import Environment

from domain.case import CaseOpened, Provenance, SurvivorCase
from domain.hashchain import GENESIS, event_hash
from storage.mapper import ChainPreservingMapper
from storage.settings import MAPPER_TOPIC
from storage.transcoder import OrjsonTranscoder
from tests.factory_kit import POPOFactoryExpectations


class TestChainPreservingMapperInTheLibrarysFactoryKit(
    POPOFactoryExpectations, InfrastructureFactoryTestCase[POPOFactory]
):
    def setUp(self) -> None:
        self.env = Environment("TestCase", {"MAPPER_TOPIC": MAPPER_TOPIC})
        super().setUp()

    def test_the_factory_builds_the_chain_preserving_mapper(self) -> None:
        self.assertIsInstance(
            self.factory.mapper(transcoder=self.transcoder), ChainPreservingMapper
        )


def _v1_opened_state() -> dict[str, Any]:
    return {
        "timestamp": CaseOpened.create_timestamp(),
        "originator_topic": SurvivorCase.TOPIC,  # type: ignore[attr-defined]
        "reference": "LEGACY-2",
        "organisation_id": "org-north",
        "jurisdiction": "scotland",
        "recorded_by": "advocate-ash",
        "previous_hash": GENESIS,
        "idempotency_key": None,
        "command_digest": None,
    }


def test_an_upcast_event_keeps_the_hash_of_what_was_stored_through_cipher_and_compressor() -> (
    None
):
    env = Environment(
        "Cases",
        {
            "MAPPER_TOPIC": MAPPER_TOPIC,
            "CIPHER_TOPIC": "eventsourcing.cipher:AESCipher",
            "CIPHER_KEY": AESCipher.create_key(16),
            "COMPRESSOR_TOPIC": "zlib",
        },
    )
    factory = InfrastructureFactory.construct(env)
    mapper = factory.mapper(transcoder=OrjsonTranscoder())
    assert mapper.compressor is zlib
    case_id, state = uuid4(), _v1_opened_state()
    stored = StoredEvent(
        originator_id=case_id,
        originator_version=1,
        topic=CaseOpened.TOPIC,
        state=mapper.cipher.encrypt(  # type: ignore[union-attr]
            zlib.compress(mapper.transcoder.encode(state))
        ),
    )

    event = mapper.to_domain_event(stored)

    assert isinstance(event, CaseOpened)
    assert event.local_authority is None
    assert event.chain_hash() == event_hash(CaseOpened.TOPIC, case_id, 1, state)


def test_a_current_event_is_hashed_the_same_before_storing_and_after_reading() -> None:
    mapper = ChainPreservingMapper(transcoder=OrjsonTranscoder())
    case = SurvivorCase.open(
        reference="CURRENT-1",
        organisation_id="org-north",
        jurisdiction="scotland",
        local_authority="Eastshire",
        opened_on=date(2026, 11, 2),
        by=Provenance("advocate-ash"),
    )
    (opened,) = case.collect_events()
    assert isinstance(opened, CaseOpened)
    read_back = mapper.to_domain_event(mapper.to_stored_event(opened))
    assert isinstance(read_back, CaseOpened)
    assert read_back.chain_hash() == opened.chain_hash() == case.chain_head
