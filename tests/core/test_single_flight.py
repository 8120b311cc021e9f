"""Single flight (``dataversion.cached_on_tables``): when a kept value is missing, the first
reader computes it and the others asking for the same key and versions wait for that value
instead of computing it too; a reader whose computation keeps nothing lets the waiters compute
for themselves at once.

Two real readers: threads with their own database connections (committed data, so the test
runs outside a transaction, as a request does). The second reader is let in only once the
first is computing, and the first finishes only once the second is waiting.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from ceasefire.core import dataversion
from ceasefire.core.models import AuditEvent, Person
from tests import factories as f

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_cache")]
KEY = "test:single-flight"


def _people() -> int:
    return Person.objects.count()


def _reader(compute, results: dict, name: str) -> threading.Thread:
    def run():
        try:
            results[name] = dataversion.cached_on_tables(KEY, compute)
        finally:
            connections.close_all()

    return threading.Thread(target=run)


def _race(first_compute, second_compute, monkeypatch) -> dict:
    """The first reader computes (held until the second waits for it); the second asks."""
    dataversion.cached_on_tables(KEY, _people)  # known to read core_person
    f.PersonFactory()  # a new version of core_person: the kept value is missing again
    computing, waiting, release = threading.Event(), threading.Event(), threading.Event()
    wait = dataversion.wait_for_flight

    def waits(*args):
        waiting.set()
        return wait(*args)

    monkeypatch.setattr(dataversion, "wait_for_flight", waits)

    def held():
        value = first_compute()
        computing.set()
        release.wait(10)
        return value

    results: dict = {}
    first = _reader(held, results, "first")
    first.start()
    assert computing.wait(10)
    second = _reader(second_compute, results, "second")
    second.start()
    assert waiting.wait(10), "the second reader did not wait for the first"
    release.set()
    first.join(10)
    second.join(10)
    return results


def test_the_second_reader_takes_the_first_readers_value(monkeypatch):
    second_computed = []

    def second():
        second_computed.append(True)
        return _people()

    results = _race(lambda: ("first", _people()), second, monkeypatch)

    assert results == {"first": ("first", 1), "second": ("first", 1)}
    assert second_computed == []


def test_a_value_that_is_not_kept_lets_the_waiter_compute_for_itself(monkeypatch):
    def unkept():  # reads a table without a version (the audit log): returned, not kept
        return ("first", _people(), AuditEvent.objects.count())

    results = _race(unkept, lambda: ("second", _people()), monkeypatch)

    assert results["first"][:2] == ("first", 1)
    assert results["second"] == ("second", 1)  # computed at once when the first finished
