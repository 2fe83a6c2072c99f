"""Arrow batches in, Arrow batches out: the function Spark's mapInArrow runs, tested through
PyArrow (Spark itself is too large to install in CI; python/examples/spark_decide.py runs it)."""

import json

import pyarrow as pa
import pytest

import interdict
from interdict import spark
from interdict.arrow import DECISION_SCHEMA, SCREEN_SCHEMA

POLICIES = ["policies/"]
SILVERSTAR = "examples/silverstar.yaml"


@pytest.fixture(scope="module")
def engine():
    return interdict.Engine.load(POLICIES, facts=SILVERSTAR)


def test_decided_batches_carry_outcome_reasons_and_verdicts(engine):
    ids = engine.transaction_ids()
    batches = [pa.RecordBatch.from_pydict({"transaction": ids[:5]}),
               pa.RecordBatch.from_pydict({"transaction": ids[5:]})]
    out = list(spark.decider(POLICIES, facts=SILVERSTAR)(iter(batches)))
    assert [b.num_rows for b in out] == [5, len(ids) - 5]
    table = pa.Table.from_batches(out)
    assert table.schema == DECISION_SCHEMA
    expected = engine.decide_batch(ids)
    rows = table.to_pylist()
    for row, decision in zip(rows, expected):
        assert row["transaction"] == decision["transaction"]
        assert row["outcome"] == decision["outcome"]
        assert [r["rule"] for r in row["reasons"]] == [r["rule"] for r in decision["reasons"]]
        assert dict(row["jurisdictions"]) == {
            k: v["outcome"] for k, v in decision.get("jurisdictions", {}).items()
        }
        assert json.loads(row["decision"]) == decision


def test_request_column_takes_inline_transactions():
    request = {"id": "row-1", "kind": "payment", "date": "2024-03-01",
               "parties": [{"role": "originator", "entity": "acme"},
                           {"role": "beneficiary", "entity": "volasys"}]}
    batch = pa.RecordBatch.from_pydict({"request": [json.dumps(request)]})
    [out] = spark.decider(POLICIES, facts=SILVERSTAR)(iter([batch]))
    row = out.to_pylist()[0]
    assert (row["transaction"], row["outcome"]) == ("row-1", "block")
    assert dict(row["jurisdictions"])["US"] == "block"


def test_engine_loaded_once_per_process():
    first = spark.engine_for(POLICIES, SILVERSTAR)
    assert spark.engine_for(POLICIES, SILVERSTAR) is first


def test_batch_without_a_request_column_is_refused():
    batch = pa.RecordBatch.from_pydict({"payment": ["tx-1001"]})
    with pytest.raises(ValueError, match="`transaction` column"):
        list(spark.decider(POLICIES, facts=SILVERSTAR)(iter([batch])))


def test_screened_batches_carry_the_best_match():
    lists = ["ofac=tests/fixtures/lists/ofac_dprk_npwmd"]
    batch = pa.RecordBatch.from_pydict({
        "id": ["c-1", "c-2"],
        "name": ["Korea Mining Development Trading Corp", "Acme Analytics"],
        "country": ["KP", None],
    })
    [out] = spark.screener(lists, POLICIES, accept_small_lists=True)(iter([batch]))
    assert out.schema == SCREEN_SCHEMA
    hit, miss = out.to_pylist()
    assert hit["id"] == "c-1" and hit["matches"] >= 1 and hit["best_list"] == "OFAC-SDN"
    assert hit["best_score"] >= interdict.DEFAULT_THRESHOLD
    assert miss["matches"] == 0 and miss["best_score"] is None
