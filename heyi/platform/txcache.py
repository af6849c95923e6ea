"""Answers remembered for the rest of the current transaction, and no longer.

Inside one business action the same question comes back many times (does the company have an
active webhook?). The answer is kept on the database connection, so it never crosses to another
connection or process, and it is dropped when the outermost transaction commits or rolls back,
or when the savepoint in which the first answer was kept rolls back: a value never outlives the
snapshot it was read from. A service that changes the rows behind a key calls `forget`, which
also stops remembering that key until the transaction ends (a later savepoint rollback could
otherwise bring the old rows back under a remembered answer).
"""

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import transaction

T = TypeVar("T")


class _Memo:
    def __init__(self) -> None:
        self.values: dict[Hashable, Any] = {}
        self.forgotten: set[Hashable] = set()

    def __call__(self) -> None:
        """Registered with `on_commit`: its presence in the list marks the transaction alive."""
        self.values.clear()


def _current() -> _Memo | None:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    memo: _Memo | None = getattr(connection, "heyi_memo", None)
    if memo is None or all(func is not memo for _sids, func, _robust in connection.run_on_commit):
        memo = _Memo()
        connection.heyi_memo = memo  # type: ignore[attr-defined]
        transaction.on_commit(memo)
    return memo


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per transaction for `key`; outside a transaction, every time."""
    memo = _current()
    if memo is None or key in memo.forgotten:
        return compute()
    if key not in memo.values:
        memo.values[key] = compute()
    return memo.values[key]


def forget(key: Hashable) -> None:
    """The rows behind `key` change: ask again, every time, until the transaction ends."""
    memo = _current()
    if memo is not None:
        memo.values.pop(key, None)
        memo.forgotten.add(key)
