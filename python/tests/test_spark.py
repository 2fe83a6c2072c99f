"""Spark local mode, when PySpark is installed (CI does not install it; test_arrow.py tests the
same mapInArrow functions through PyArrow batches)."""

import os
import sys

import pytest

pyspark = pytest.importorskip("pyspark", reason="PySpark is not installed: pip install './python[spark]'")

import interdict  # noqa: E402
from interdict import spark  # noqa: E402

POLICIES = "policies"
SILVERSTAR = "examples/silverstar.yaml"


@pytest.fixture(scope="module")
def session():
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    built = SparkSession.builder.master("local[2]").appName("interdict-tests").getOrCreate()
    built.sparkContext.addFile(os.path.abspath(POLICIES), recursive=True)
    built.sparkContext.addFile(os.path.abspath(SILVERSTAR))
    yield built
    built.stop()


def test_dataframe_decided_as_the_engine_decides(session):
    engine = interdict.Engine.load([POLICIES], facts=SILVERSTAR)
    ids = engine.transaction_ids()
    frame = session.createDataFrame([(i,) for i in ids * 50], "transaction string").repartition(3)
    rows = spark.decide_frame(frame, [POLICIES], facts=SILVERSTAR).collect()
    assert len(rows) == len(ids) * 50
    expected = {d["transaction"]: d for d in engine.decide_batch(ids)}
    for row in rows:
        decision = expected[row["transaction"]]
        assert row["outcome"] == decision["outcome"]
        assert [r["rule"] for r in row["reasons"]] == [r["rule"] for r in decision["reasons"]]
        assert dict(row["jurisdictions"]) == {
            k: v["outcome"] for k, v in decision.get("jurisdictions", {}).items()
        }
