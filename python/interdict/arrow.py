"""Deciding and screening Arrow record batches (PyArrow), as Spark's ``mapInArrow`` hands them.

The engine builds each row's values in Rust (GIL released), and PyArrow makes the columns: the
Rust side stays free of the Arrow crates, which are heavy to build.

A batch to decide has a ``transaction`` column (ids of the loaded facts) or a ``request`` column
(each a transaction as JSON text, in the facts file's shape). The decided batch has one row per
input row, in order, with the columns of :data:`DECISION_SCHEMA`.
"""

from __future__ import annotations

import json
from typing import Any, Optional

import pyarrow as pa

from . import DEFAULT_THRESHOLD

REASON_TYPE = pa.struct(
    [
        ("rule", pa.string()),
        ("policy", pa.string()),
        ("jurisdiction", pa.string()),
        ("effect", pa.string()),
        ("message", pa.string()),
    ]
)

#: The columns of a decided batch: the outcome, every reason (rule, policy, jurisdiction, effect,
#: message), each jurisdiction's verdict, and the whole decision as the CLI's JSON, which is what
#: an auditor reads and what carries the evidence, citations, digests and list versions.
DECISION_SCHEMA = pa.schema(
    [
        ("transaction", pa.string()),
        ("outcome", pa.string()),
        ("as_of", pa.string()),
        ("reasons", pa.list_(REASON_TYPE)),
        ("jurisdictions", pa.map_(pa.string(), pa.string())),
        ("decision", pa.string()),
    ]
)

#: The columns of a screened batch: the query, how many matches, the best one, and the whole
#: report as ``interdict screen --format json`` prints it.
SCREEN_SCHEMA = pa.schema(
    [
        ("query", pa.string()),
        ("id", pa.string()),
        ("matches", pa.int32()),
        ("best_score", pa.float64()),
        ("best_list", pa.string()),
        ("best_ref", pa.string()),
        ("best_strength", pa.string()),
        ("report", pa.string()),
    ]
)

#: The record fields ``screen`` reads from a batch's columns when present.
SCREEN_FIELDS = (
    "id", "name", "aliases", "kind", "birth_date", "gender", "nationality", "country",
    "identifiers", "addresses",
)


def requests_of(batch: pa.RecordBatch) -> list:
    """The requests a batch holds: its ``transaction`` ids, or its ``request`` transactions."""
    names = batch.schema.names
    if "transaction" in names:
        return batch.column("transaction").to_pylist()
    if "request" in names:
        return [json.loads(text) for text in batch.column("request").to_pylist()]
    raise ValueError(
        "a batch to decide needs a `transaction` column (ids of the loaded facts) or a "
        f"`request` column (transactions as JSON); it has {names}"
    )


def decide_record_batch(engine: Any, batch: pa.RecordBatch, as_of: Optional[str] = None) -> pa.RecordBatch:
    """Decides every row of ``batch``; one decided row per input row, in order."""
    rows = engine._native.decide_rows(requests_of(batch), as_of)
    return _columns(rows, DECISION_SCHEMA)


def screen_record_batch(
    engine: Any,
    batch: pa.RecordBatch,
    threshold: Optional[float] = None,
    limit: int = 5,
    as_of: Optional[str] = None,
) -> pa.RecordBatch:
    """Screens every row of ``batch`` (a ``name`` column, and any of :data:`SCREEN_FIELDS`)."""
    present = [f for f in SCREEN_FIELDS if f in batch.schema.names]
    if "name" not in present:
        raise ValueError(f"a batch to screen needs a `name` column; it has {batch.schema.names}")
    columns = {f: batch.column(f).to_pylist() for f in present}
    records = [
        {f: columns[f][row] for f in present if columns[f][row] is not None}
        for row in range(batch.num_rows)
    ]
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    texts = [json.dumps(record) for record in records]
    rows = engine._native.screen_rows(texts, threshold, limit, as_of)
    return _columns(rows, SCREEN_SCHEMA)


def _columns(rows: list, schema: pa.Schema) -> pa.RecordBatch:
    """Row tuples, built in Rust in the schema's column order, as a record batch."""
    columns = list(zip(*rows)) if rows else [[] for _ in schema]
    arrays = [pa.array(list(values), type=field.type) for values, field in zip(columns, schema)]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)
