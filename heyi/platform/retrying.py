"""Run a whole transaction again when the database refused it only for timing reasons."""

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import OperationalError, transaction

from .middleware import is_busy_error

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

MAX_ATTEMPTS = 5
retries_used = {"count": 0}


def retry_when_busy(fn: Callable[P, R]) -> Callable[P, R]:
    """A deadlock, serialization failure or SQLite lock rolls the whole action back; the
    outermost service then runs it again, up to five times with a growing, jittered pause.
    Inside someone else's transaction it cannot, so it lets the error rise to whoever owns it."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if transaction.get_connection().in_atomic_block:
            return fn(*args, **kwargs)
        attempt = 1
        while True:
            try:
                return fn(*args, **kwargs)
            except OperationalError as exc:
                if attempt == MAX_ATTEMPTS or not is_busy_error(exc):
                    raise
                retries_used["count"] += 1
                log.info("%s: busy database, attempt %s: %s", fn.__name__, attempt, exc)
                time.sleep(0.02 * 2**attempt * (1 + random.random()))
                attempt += 1

    return run
