"""Interdict from Python: sanctions-compliance decisions with explanations.

Load once, decide many times::

    import interdict
    engine = interdict.Engine.load(["policies/"], facts="examples/silverstar.yaml")
    decision = engine.decide("tx-volasys-direct")
    decision["outcome"]   # "block"

Every decision is the dict the command line's ``interdict eval --format json`` prints for that
transaction (``interdict.dumps`` renders a list of them byte for byte as the CLI does). The engine
is safe to share between threads and releases the GIL while it decides and screens; batches are
spread over every core.

Errors are exceptions carrying the command line's exit code (``exit_code``) and locations:
``PolicyError.diagnostics`` (code, file, line, column, message, as ``interdict check --format
json``), ``FactsError.problems`` (file and record, or line and column) and ``RequestError.index``.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from ._native import (
    DEFAULT_THRESHOLD,
    FactsError,
    InterdictError,
    PolicyError,
    RequestError,
)
from ._native import Engine as _NativeEngine

__all__ = [
    "DEFAULT_THRESHOLD",
    "Engine",
    "FactsError",
    "InterdictError",
    "PolicyError",
    "RequestError",
    "dumps",
]

Request = Union[str, Mapping[str, Any]]
PathLike = Union[str, "os.PathLike[str]"]


def _paths(value: Union[PathLike, Sequence[PathLike]]) -> list:
    if isinstance(value, (str, bytes)) or hasattr(value, "__fspath__"):
        return [value]
    return list(value)


class Engine:
    """Compiled policies and loaded facts, ready to decide and screen.

    Build one with :meth:`Engine.load`; it never changes afterwards, so one engine serves every
    thread (and, on Spark, every task of an executor).
    """

    __slots__ = ("_native",)

    def __init__(self, native: _NativeEngine) -> None:
        self._native = native

    @classmethod
    def load(
        cls,
        policies: Union[PathLike, Sequence[PathLike]],
        lists: Sequence[str] = (),
        facts: Optional[PathLike] = None,
        licences: Sequence[PathLike] = (),
        threshold: float = DEFAULT_THRESHOLD,
        accept_small_lists: bool = False,
    ) -> "Engine":
        """Compiles ``policies`` (files or folders) and loads the facts, as ``interdict eval``.

        ``facts`` is a facts file (YAML, or JSON for ``.json``) or a store snapshot written by
        ``interdict import --out store.bin``. ``lists`` are ``KIND=PATH[@DATE]`` strings as
        ``eval --list`` takes them (``ofac=FOLDER``, ``un=FILE.xml``, ``eu=FILE.xml``,
        ``uk=FILE.csv``, ``ftm=FILE.json``); with lists, parties not on a list are also screened
        by name at ``threshold``, and without a facts file the engine holds the lists alone (for
        :meth:`screen`). ``accept_small_lists`` accepts excerpts smaller than any real release.

        Raises :class:`PolicyError` (exit code 1) when the policies do not compile and
        :class:`FactsError` (exit code 2) when the facts or lists cannot be loaded.
        """
        native = _NativeEngine.load(
            _paths(policies),
            facts=facts,
            lists=list(lists),
            licences=list(licences),
            threshold=threshold,
            accept_small_lists=accept_small_lists,
        )
        return cls(native)

    @property
    def policy_digest(self) -> str:
        """The compiled policies' digest, as every decision cites it."""
        return self._native.policy_digest

    @property
    def facts_digest(self) -> str:
        """The facts' digest, as every decision cites it."""
        return self._native.facts_digest

    def transaction_ids(self) -> list:
        """The ids of the transactions in the loaded facts, in file order."""
        return self._native.transaction_ids()

    def decide(self, request: Request, as_of: Optional[str] = None) -> dict:
        """Decides one request and returns the decision as the CLI's JSON gives it.

        A request is a transaction id of the loaded facts, or a transaction dict in the facts
        file's shape (``id``, ``kind``, ``date``, optional ``amount`` and ``attributes``, and
        ``parties`` as ``{"role": ..., "entity": ENTITY_ID}``) whose parties are entities of the
        loaded facts. ``as_of`` (``YYYY-MM-DD``) is the day whose facts count; the transaction's
        own date when omitted.

        Raises :class:`RequestError` for an unknown transaction or party or a malformed dict.
        """
        return self.decide_batch([request], as_of=as_of)[0]

    def decide_batch(self, requests: Iterable[Request], as_of: Optional[str] = None) -> list:
        """Decides every request, in parallel without the GIL; decisions in request order.

        Raises :class:`RequestError` naming the position (``index``) of the first request that
        cannot be decided; no decision is returned for a batch with a bad request.
        """
        return json.loads(self.decide_batch_json(requests, as_of=as_of))

    def decide_batch_json(
        self, requests: Iterable[Request], as_of: Optional[str] = None
    ) -> str:
        """As :meth:`decide_batch`, the decisions as one JSON array (compact), unparsed."""
        return self._native.decide_json(list(requests), as_of)

    def screen(
        self,
        names: Iterable[Union[str, Mapping[str, Any]]],
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = 5,
        as_of: Optional[str] = None,
    ) -> list:
        """Screens names, or records, against the designated entities of the loaded lists/facts.

        Each item is a name, or a record as ``interdict screen --input FILE.jsonl`` reads it:
        ``name`` and optionally ``id``, ``aliases``, ``kind``, ``birth_date``, ``gender``,
        ``nationality``, ``country``, ``identifiers``, ``addresses``. Returns one report per item,
        as ``interdict screen --format json`` prints it: the query and its best matches (at most
        ``limit``, scoring at least ``threshold``), each with why it matched and how strong the
        match is. ``as_of`` is the day dispositions are applied on.
        """
        records = [
            json.dumps({"name": item} if isinstance(item, str) else dict(item))
            for item in names
        ]
        return json.loads(self._native.screen_json(records, threshold, limit, as_of))


def dumps(decisions: Sequence[dict]) -> str:
    """The decisions as ``interdict eval --format json`` prints them, byte for byte."""
    return json.dumps({"decisions": list(decisions)}, indent=2, ensure_ascii=False) + "\n"
