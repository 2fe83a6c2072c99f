"""Deciding from Python gives the command line's decisions, byte for byte."""

import json

import pytest

import interdict
from conftest import cli

POLICIES = "policies/"
SILVERSTAR = "examples/silverstar.yaml"


@pytest.fixture(scope="module")
def engine():
    return interdict.Engine.load([POLICIES], facts=SILVERSTAR)


def test_silverstar_equals_cli_json_byte_for_byte(engine):
    expected = cli("eval", "--policy", POLICIES, "--facts", SILVERSTAR, "--format", "json").stdout
    decisions = engine.decide_batch(engine.transaction_ids())
    assert interdict.dumps(decisions) == expected
    assert {d["outcome"] for d in decisions} == {"block", "review", "allow"}


def test_as_of_is_the_cli_as_of(engine):
    expected = cli(
        "eval", "--policy", POLICIES, "--facts", SILVERSTAR, "--format", "json",
        "--as-of", "2018-01-01", "--transaction", "tx-1001",
    ).stdout
    assert interdict.dumps([engine.decide("tx-1001", as_of="2018-01-01")]) == expected


def test_one_decision_is_the_batch_decision(engine):
    ids = engine.transaction_ids()
    assert engine.decide(ids[3]) == engine.decide_batch(ids)[3]


def test_digests_are_the_ones_decisions_cite(engine):
    decision = engine.decide("tx-1001")
    assert decision["policy_digest"] == engine.policy_digest
    assert decision["facts_digest"] == engine.facts_digest


def inline_copy_of_tx_1001(new_id):
    """tx-1001 of the Silver Star facts, restated inline: Acme pays Volasys 12,000 USD."""
    return {
        "id": new_id,
        "kind": "payment",
        "date": "2024-03-01",
        "amount": {"value": 12000, "currency": "USD"},
        "parties": [
            {"role": "originator", "entity": "acme"},
            {"role": "beneficiary", "entity": "volasys"},
        ],
    }


def test_inline_transaction_is_decided_as_the_same_stored_one(engine):
    stored = engine.decide("tx-1001")
    inline = engine.decide(inline_copy_of_tx_1001("inline-1"))
    assert inline["transaction"] == "inline-1"
    assert inline["outcome"] == "block"
    for field in ("summary", "reasons", "jurisdictions", "as_of", "facts_digest"):
        assert inline[field] == stored[field], field


def test_summary_is_the_transaction_as_data(engine):
    summary = engine.decide("tx-1001")["summary"]
    assert summary["kind"] == "payment"
    assert summary["amount"] == {"value": 12000, "currency": "USD"}
    assert summary["date"] == "2024-03-01"
    assert [(p["role"], p["entity"]) for p in summary["parties"]] == [
        ("originator", "acme"),
        ("beneficiary", "volasys"),
    ]
    assert summary["parties"][1]["name"] == "Volasys Silver Star"


def test_batch_of_100k_generated_requests(engine):
    ids = engine.transaction_ids()
    templates = {i: engine.decide(i) for i in ids}
    inline_expected = engine.decide(inline_copy_of_tx_1001("template"))
    requests = []
    for n in range(100_000):
        if n % 4 == 3:
            requests.append(inline_copy_of_tx_1001(f"gen-{n}"))
        else:
            requests.append(ids[n % len(ids)])
    decisions = engine.decide_batch(requests)
    assert len(decisions) == len(requests)
    for n, (request, decision) in enumerate(zip(requests, decisions)):
        if isinstance(request, dict):
            assert decision["transaction"] == f"gen-{n}"
            assert decision["reasons"] == inline_expected["reasons"]
        else:
            assert decision == templates[request]
    blocks = sum(d["outcome"] == "block" for d in decisions)
    stored_blocks = sum(templates[r]["outcome"] == "block" for r in requests if isinstance(r, str))
    assert blocks == stored_blocks + 25_000


def test_decisions_from_threads_are_the_same(engine):
    from concurrent.futures import ThreadPoolExecutor

    ids = engine.transaction_ids()
    expected = engine.decide_batch(ids)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: engine.decide_batch(ids), range(8)))
    assert all(r == expected for r in results)


def test_decide_batch_json_is_compact_json_of_the_same_decisions(engine):
    ids = engine.transaction_ids()[:3]
    assert json.loads(engine.decide_batch_json(ids)) == engine.decide_batch(ids)
