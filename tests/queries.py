"""What a request wrote: GETs never write (the audit log aside)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


@contextmanager
def tables_written() -> Iterator[set[str]]:
    """``with tables_written() as written: client.get(url)`` → the tables the request wrote."""
    written: set[str] = set()
    with CaptureQueriesContext(connection) as captured:
        yield written
    for query in captured.captured_queries:
        match = WRITE.match(query["sql"])
        if match:
            written.add(match.group(1))
