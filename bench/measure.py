"""What the benches time: a block's milliseconds and the queries it ran, counted without keeping them."""

import time
from contextlib import contextmanager

from django.db import connection


class Counter:
    """Counts the queries run inside ``measure`` without keeping them (an import runs many)."""

    def __init__(self):
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)


@contextmanager
def measure(results: list):
    """Append ``(milliseconds, queries)`` of the block to ``results``."""
    counter = Counter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        yield
        results.append(((time.perf_counter() - started) * 1000, counter.queries))
