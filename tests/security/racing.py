"""Concurrent work for the [PG] tests: threads released together, each on its own connection."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def race(count: int, work: Callable[[int], Any]) -> list:
    """Run `work(i)` in `count` threads released at once by a barrier; each closes its
    connection. A result is what `work` returned or the exception it raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # kept for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results
