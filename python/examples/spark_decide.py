"""Decide a DataFrame of transactions, and screen one of names, on Spark with mapInArrow.

Run from the repository root (Spark local mode, or spark-submit on a cluster):

    pip install "./python[spark]"   # PySpark, and the pandas and PyArrow its mapInArrow needs
    python python/examples/spark_decide.py

The policy folder and the facts (better: a store snapshot from `interdict import --out
store.bin`) are shipped to every executor with `addFile`; each executor process loads the engine
once and decides the rows of each partition one Arrow batch at a time.
"""

import os
import sys

from pyspark.sql import SparkSession

import interdict
from interdict import spark as interdict_spark

POLICIES = "policies"
FACTS = "examples/silverstar.yaml"
LIST = "tests/fixtures/lists/ofac_dprk_npwmd"


def main() -> None:
    # Local mode: the Python workers run the interpreter this script runs under, which has the
    # package installed (on a cluster, install the wheel on the executors instead).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master(os.environ.get("SPARK_MASTER", "local[2]"))
        .appName("interdict")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "10000")
        .getOrCreate()
    )
    context = session.sparkContext
    for path in (POLICIES, FACTS, LIST):
        context.addFile(os.path.abspath(path), recursive=os.path.isdir(path))

    ids = interdict.Engine.load([POLICIES], facts=FACTS).transaction_ids()
    payments = session.createDataFrame([(i,) for i in ids * 1000], "transaction string")
    decided = interdict_spark.decide_frame(payments, [POLICIES], facts=FACTS)
    decided.groupBy("outcome").count().show()
    decided.select("transaction", "outcome", "jurisdictions").show(5, truncate=False)

    names = session.createDataFrame(
        [("c-1", "Korea Mining Development Trading Corp"), ("c-2", "Acme Analytics")],
        "id string, name string",
    )
    screened = interdict_spark.screen_frame(
        names, [f"ofac={LIST}"], [POLICIES], accept_small_lists=True
    )
    screened.select("id", "query", "matches", "best_ref", "best_score").show(truncate=False)
    session.stop()


if __name__ == "__main__":
    main()
