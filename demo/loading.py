"""Writing the demo's rows fast: PostgreSQL ``COPY`` for big batches, ``bulk_create`` elsewhere.

``rows_write(model, objs)`` behaves like ``bulk_create`` for the generators (every object gets its
primary key, related objects saved earlier are followed to their keys), but on PostgreSQL a batch
of ``COPY_MIN`` rows or more is streamed with psycopg 3's ``cursor.copy``: the keys are taken
from the table's sequence in one query (one ``nextval`` and a ``setval`` past the block, not a
row per key), then the rows go in as one COPY, with no SQL to build or parse per batch and no
``RETURNING``. Generated rows are built with ``unsaved`` (no ``Model.__init__``) and read for
COPY off their ``__dict__``. SQLite (``make run``) keeps ``bulk_create``.

Triggers still fire on COPY. The involvements' victim-count trigger (migration core 0007) would
recount and rewrite the incident once per involvement; the generator computes the counts itself
instead (``victim_counts_set``), writes them with the incident, and loads the involvements with
that trigger disabled (``without_victim_recount``) -- in the seed's own transaction, so nobody
sees the table without it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter

from django.db import connection, models
from django.db.models.base import ModelState

BATCH_SIZE = 2000
COPY_MIN = 200
VICTIM_TRIGGER = ("core_involvement", "core_involvement_recount_victims")


def rows_write(model: type[models.Model], objs: Sequence[models.Model]) -> list:
    objs = list(objs)
    if connection.vendor != "postgresql" or len(objs) < COPY_MIN:
        return model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
    return _copy(model, objs)


def unsaved(model: type[models.Model], **values) -> models.Model:
    """``model(**values)`` for a generated row, without ``Model.__init__``'s per-field work (the
    seed builds millions of them; ``__init__`` was a quarter of its profiled time): the same
    object -- every column's attribute set, defaults taken as ``__init__`` takes them, a related
    object given by name cached and its key copied (a one-to-one's reverse cached too). Values
    given by anything other than a column's name or attname (properties such as ``pk``) go
    through ``__init__``."""
    blueprint = _BLUEPRINTS.get(model) or _blueprint(model)
    constant, computed, relations, names = blueprint
    if not names.issuperset(values):
        return model(**values)
    obj = model.__new__(model)
    state = obj._state = ModelState()
    attrs = obj.__dict__
    attrs.update(constant)
    for attname, default in computed:
        if attname not in values:
            attrs[attname] = default()
    for name, value in values.items():
        relation = relations.get(name)
        if relation is None:
            attrs[name] = value
            continue
        attname, target, cache, reverse = relation
        state.fields_cache[cache] = value
        if value is None:
            attrs[attname] = None
            continue
        attrs[attname] = getattr(value, target)
        if reverse is not None:
            reverse.set_cached_value(value, obj)
    return obj


_BLUEPRINTS: dict = {}


def _blueprint(model: type[models.Model]) -> tuple:
    """Per model: the defaults that are constants, the callable ones (called per row, in field
    order, as ``__init__`` does), the foreign keys that may be given as objects, and the names
    ``unsaved`` takes."""
    constant, computed, relations, names = {}, [], {}, set()
    for field in model._meta.concrete_fields:
        if getattr(field, "generated", False):
            continue
        names.add(field.attname)
        if field.has_default() and callable(field.default):
            default = field.get_default if field.is_relation else field.default
            computed.append((field.attname, default))
            constant[field.attname] = None  # keeps __init__'s attribute order
        else:
            constant[field.attname] = field.get_default()
        if field.is_relation:
            names.add(field.name)
            reverse = field.remote_field if field.one_to_one else None
            target = field.target_field.attname
            relations[field.name] = (field.attname, target, field.cache_name, reverse)
    _BLUEPRINTS[model] = blueprint = (constant, computed, relations, frozenset(names))
    return blueprint


def rows_update(model: type[models.Model], objs: Sequence[models.Model], fields: list[str]) -> None:
    """``bulk_update`` for the seed: one ``UPDATE … WHERE id = %s`` run with ``executemany``
    (psycopg 3 pipelines it; SQLite runs it in C), instead of Django's ``CASE WHEN`` statements,
    whose expressions cost more to build than the update costs to run."""
    objs = list(objs)
    if not objs:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    readers = [_reader(f) for f in columns]
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[read(obj) for read in readers] + [obj.pk] for obj in objs])


def _copy(model: type[models.Model], objs: list[models.Model]) -> list:
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not getattr(f, "generated", False)]
    _related_keys_take(meta, objs)
    missing = [obj for obj in objs if obj.pk is None]
    quote = connection.ops.quote_name
    row_of = _row_reader(fields)
    with connection.cursor() as cursor:
        if missing:
            keys = _keys_take(cursor, meta, len(missing))
            if meta.parents:
                for obj, pk in zip(missing, keys, strict=True):
                    obj.pk = pk
            else:  # what the ``pk`` property sets
                attname = meta.pk.attname
                for obj, pk in zip(missing, keys, strict=True):
                    obj.__dict__[attname] = pk
        columns = ", ".join(quote(f.column) for f in fields)
        sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            write = copy.write_row
            for obj in objs:
                write(row_of(obj))
    alias = connection.alias
    for obj in objs:
        state = obj._state
        state.adding, state.db = False, alias
    return objs


def _keys_take(cursor, meta, count: int) -> range:
    """The next ``count`` values of the table's sequence, as ``count`` calls of ``nextval``
    would give them: one ``nextval`` and one ``setval`` past the block (a sequence stepping by
    1; the seed's transaction is the only writer of its tables), not a row per key."""
    cursor.execute(
        "SELECT s.seq, setval(s.seq, nextval(s.seq) + %s - 1), q.increment_by FROM "
        "(SELECT pg_get_serial_sequence(%s, %s) AS seq) AS s "
        "JOIN pg_sequences AS q ON format('%%I.%%I', q.schemaname, q.sequencename)::regclass "
        "= s.seq::regclass",
        [count, meta.db_table, meta.pk.column],
    )
    _, last, step = cursor.fetchone()
    if step != 1:
        raise ValueError(f"{meta.db_table}: its key sequence steps by {step}, not 1.")
    return range(last - count + 1, last + 1)


# Fields whose Python value the database driver takes as it is (str, int, bool, Decimal, date,
# aware datetime, None): COPY reads them straight off the object. Any other field (JSON, files…)
# goes through Django's own ``get_db_prep_save``.
PLAIN_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,  # EmailField, SlugField…
    models.DateField,  # DateTimeField
    models.DecimalField,
    models.FloatField,
    models.ForeignKey,  # OneToOneField
    models.IntegerField,  # the small, big and positive ones
    models.TextField,
)


def _row_reader(fields: list[models.Field]):
    """One object's COPY row: the plain columns taken off its ``__dict__`` in one
    ``itemgetter`` call, the others (JSON…) through ``get_db_prep_save``."""
    get = itemgetter(*(f.attname for f in fields))
    special = [(n, _reader(f)) for n, f in enumerate(fields) if not _plain(f)]
    if len(fields) == 1:
        return lambda obj: [_reader(fields[0])(obj)]
    if not special:
        return lambda obj: get(obj.__dict__)

    def row_of(obj):
        row = list(get(obj.__dict__))
        for n, read in special:
            row[n] = read(obj)
        return row

    return row_of


def _plain(field: models.Field) -> bool:
    return isinstance(field, PLAIN_FIELDS) and not getattr(field, "auto_now", False)


def _reader(field: models.Field):
    """How one column's value is read off an unsaved object (no ``auto_now`` fields here)."""
    if _plain(field):
        attname = field.attname
        return lambda obj: obj.__dict__[attname]
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)


def _related_keys_take(meta, objs: list[models.Model]) -> None:
    """What ``bulk_create`` does first: a foreign key set as an object saved earlier (``share.person
    = person``) takes that object's key. Only the keys left empty are looked at."""
    for field in meta.concrete_fields:
        if not field.is_relation:
            continue
        attname, cache = field.attname, field.cache_name
        for obj in objs:
            if obj.__dict__[attname] is None:
                related = obj._state.fields_cache.get(cache)
                if related is not None:
                    if related.pk is None:
                        raise ValueError(f"{meta.label}.{field.name}: the related row is unsaved.")
                    obj.__dict__[attname] = related.pk


def victim_counts_set(incident, involvements) -> None:
    """What the victim-count trigger would compute, set on the (unsaved) incident."""
    victims = [i.injury for i in involvements if i.role == "victim"]
    incident.fatal_victims = victims.count("fatal")
    incident.nonfatal_victims = victims.count("nonfatal")


@contextmanager
def without_victim_recount() -> Iterator[None]:
    """The involvements' recount trigger off for a load whose incidents already hold their
    counts (PostgreSQL; SQLite's triggers recount as before, to the same values)."""
    if connection.vendor != "postgresql":
        yield
        return
    table, trigger = VICTIM_TRIGGER
    with connection.cursor() as cursor:
        _trigger_set(cursor, f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        try:
            yield
        finally:
            _trigger_set(cursor, f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")


def _trigger_set(cursor, statement: str) -> None:
    """ALTER TABLE, CREATE and DROP INDEX refuse while deferred foreign-key checks are pending
    (Django's foreign keys are DEFERRABLE INITIALLY DEFERRED): run them now, then defer again."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(statement)
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


APPS = ("core", "reviews", "coordination", "performance", "axes", "otp_totp", "sessions")


def project_tables() -> list[str]:
    from django.apps import apps

    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in APPS and model._meta.managed
        }
    )


def analyze_statement() -> str:
    """``ANALYZE`` of the project's own tables. A bare ``ANALYZE`` inside a transaction also
    analyzes the cluster's shared catalogs and keeps their locks until the seed commits, so every
    other database's ANALYZE on the server waits for the whole seed (seen: 17 minutes)."""
    quote = connection.ops.quote_name
    return "ANALYZE " + ", ".join(quote(table) for table in project_tables())


@contextmanager
def foreign_keys_checked_after() -> Iterator[None]:
    """The project's foreign keys dropped for the load and added back after it (PostgreSQL,
    inside the seed's transaction, so nobody sees the tables without them).

    Every row written under a (deferred) foreign key queues a check that looks up and locks
    (``FOR KEY SHARE``) the row it points to, one at a time: millions of lookups at scale 10,
    run whenever constraints are set immediate or at commit. Adding a constraint back checks all
    its rows in one join and fails the seed if any points nowhere: the same guarantee, once."""
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
            "JOIN pg_class c ON c.oid = k.conrelid "
            "WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace "
            "AND c.relname = ANY(%s) ORDER BY c.relname, k.conname",
            [project_tables()],
        )
        keys = cursor.fetchall()
        for table, name, _ in keys:
            _trigger_set(cursor, f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for table, name, definition in keys:
            _trigger_set(
                cursor, f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
            )


@contextmanager
def gin_indexes_deferred(tables=("core_person", "core_incident")) -> Iterator[None]:
    """The trigram (GIN) indexes of the big searched tables dropped for the load and built again
    after it (PostgreSQL; inside the seed's transaction): one build is much cheaper than keeping
    them up to date row by row (they are ``fastupdate = off``, migration core 0019)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) AND indexdef LIKE '%%USING gin%%'",
            [list(tables)],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            _trigger_set(cursor, f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for _, definition in indexes:
            _trigger_set(cursor, definition)
