"""Type stubs of the native module; use the `interdict` package, which wraps it."""

from os import PathLike
from typing import Any, List, Optional, Sequence, Union

DEFAULT_THRESHOLD: float

class InterdictError(Exception):
    """Any Interdict failure; `exit_code` is what the command line would exit with."""

    exit_code: int

class PolicyError(InterdictError):
    """The policies do not compile; `diagnostics` as `interdict check --format json` gives them."""

    diagnostics: List[dict]

class FactsError(InterdictError):
    """Facts, lists or a snapshot could not be loaded; `problems` name file and record or line."""

    problems: List[dict]

class RequestError(InterdictError):
    """A request cannot be decided; `index` is its position in the batch."""

    index: int

class Engine:
    @staticmethod
    def load(
        policies: Sequence[Union[str, PathLike]],
        facts: Optional[Union[str, PathLike]] = None,
        lists: Sequence[str] = ...,
        licences: Sequence[Union[str, PathLike]] = ...,
        threshold: float = ...,
        accept_small_lists: bool = False,
    ) -> "Engine": ...
    @property
    def policy_digest(self) -> str: ...
    @property
    def facts_digest(self) -> str: ...
    def transaction_ids(self) -> List[str]: ...
    def decide_json(self, requests: Sequence[Any], as_of: Optional[str] = None) -> str: ...
    def decide_rows(self, requests: Sequence[Any], as_of: Optional[str] = None) -> List[tuple]: ...
    def screen_rows(
        self,
        records: Sequence[str],
        threshold: float = ...,
        limit: int = 5,
        as_of: Optional[str] = None,
    ) -> List[tuple]: ...
    def screen_json(
        self,
        records: Sequence[str],
        threshold: float = ...,
        limit: int = 5,
        as_of: Optional[str] = None,
    ) -> str: ...
