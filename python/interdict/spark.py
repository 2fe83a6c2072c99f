"""Deciding and screening a Spark DataFrame with ``mapInArrow``.

The engine is loaded once per executor process from files shipped with the job
(``SparkContext.addFile``), and kept for every task that process runs; rows stream through it
one Arrow batch at a time. See ``python/examples/spark_decide.py``.

The functions here return what ``DataFrame.mapInArrow`` takes (a function from an iterator of
record batches to an iterator of record batches), so the same function can be tested without
Spark by handing it PyArrow batches.
"""

from __future__ import annotations

import os
from typing import Callable, Dict, Iterator, Optional, Sequence, Tuple

import pyarrow as pa

from . import Engine
from .arrow import DECISION_SCHEMA, SCREEN_SCHEMA, decide_record_batch, screen_record_batch

#: ``DECISION_SCHEMA`` in Spark's DDL, for ``mapInArrow``.
DECISION_DDL = (
    "transaction string, outcome string, as_of string, "
    "reasons array<struct<rule:string,policy:string,jurisdiction:string,effect:string,message:string>>, "
    "jurisdictions map<string,string>, decision string"
)

#: ``SCREEN_SCHEMA`` in Spark's DDL, for ``mapInArrow``.
SCREEN_DDL = (
    "query string, id string, matches int, best_score double, best_list string, "
    "best_ref string, best_strength string, report string"
)

_ENGINES: Dict[Tuple, Engine] = {}


def shipped(path: str) -> str:
    """``path`` where this process can read it: as given, or the copy Spark shipped with the job."""
    if os.path.exists(path):
        return path
    try:
        from pyspark import SparkFiles
    except ImportError:
        return path
    return SparkFiles.get(os.path.basename(os.path.normpath(path)))


def engine_for(
    policies: Sequence[str],
    facts: Optional[str] = None,
    lists: Sequence[str] = (),
    accept_small_lists: bool = False,
) -> Engine:
    """The engine of this process for these files, loaded the first time it is asked for."""
    key = (tuple(policies), facts, tuple(lists), accept_small_lists)
    engine = _ENGINES.get(key)
    if engine is None:
        def ship_list(spec: str) -> str:
            kind, _, rest = spec.partition("=")
            path, at, day = rest.partition("@")
            return f"{kind}={shipped(path)}{at}{day}"

        engine = Engine.load(
            [shipped(p) for p in policies],
            facts=shipped(facts) if facts else None,
            lists=[ship_list(s) for s in lists],
            accept_small_lists=accept_small_lists,
        )
        _ENGINES[key] = engine
    return engine


def decider(
    policies: Sequence[str],
    facts: Optional[str] = None,
    lists: Sequence[str] = (),
    as_of: Optional[str] = None,
    accept_small_lists: bool = False,
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """A ``mapInArrow`` function deciding each batch's ``transaction`` or ``request`` column;
    its output schema is :data:`DECISION_DDL`."""

    def decide(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        engine = engine_for(policies, facts, lists, accept_small_lists)
        for batch in batches:
            yield decide_record_batch(engine, batch, as_of=as_of)

    return decide


def screener(
    lists: Sequence[str],
    policies: Sequence[str],
    threshold: Optional[float] = None,
    limit: int = 5,
    as_of: Optional[str] = None,
    accept_small_lists: bool = False,
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    """A ``mapInArrow`` function screening each batch's ``name`` column (and identity columns)
    against ``lists``; its output schema is :data:`SCREEN_DDL`."""

    def screen(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        engine = engine_for(policies, None, lists, accept_small_lists)
        for batch in batches:
            yield screen_record_batch(engine, batch, threshold, limit, as_of)

    return screen


def decide_frame(df, policies, facts=None, lists=(), as_of=None, accept_small_lists=False):
    """``df`` (a ``transaction`` or ``request`` column) decided, one row per input row."""
    return df.mapInArrow(decider(policies, facts, lists, as_of, accept_small_lists), DECISION_DDL)


def screen_frame(df, lists, policies, threshold=None, limit=5, as_of=None, accept_small_lists=False):
    """``df`` (a ``name`` column and any identity columns) screened against ``lists``."""
    return df.mapInArrow(
        screener(lists, policies, threshold, limit, as_of, accept_small_lists), SCREEN_DDL
    )


__all__ = [
    "DECISION_DDL", "DECISION_SCHEMA", "SCREEN_DDL", "SCREEN_SCHEMA", "decide_frame",
    "decider", "engine_for", "screen_frame", "screener", "shipped",
]
