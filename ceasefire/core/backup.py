"""Backup and restore of a PostgreSQL deployment: the database and the media files, in one archive.

An archive (``ceasefire-backup-<UTC time>.tar``) holds three members:

- ``database.dump``: ``pg_dump --format=custom`` of the whole database;
- ``media.tar.gz``: every file under ``MEDIA_ROOT`` (worksheet PDFs, imports), paths relative;
- ``manifest.json``: when, by which Django, from which server, the applied migrations per app,
  and each member's size and SHA-256.

``restore_backup`` checks the manifest first (format, every checksum, no migration this code does
not know), refuses a database or media folder that already holds data unless ``force``, then
empties the ``public`` schema and the media folder and loads both. The commands ``manage.py
backup`` and ``manage.py restore`` are thin wrappers; run them as the role that owns the tables
(the ``migrate`` service's ``DATABASE_URL`` in docker-compose).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

logger = logging.getLogger(__name__)

FORMAT = 1
MANIFEST, DUMP, MEDIA = "manifest.json", "database.dump", "media.tar.gz"
# Rows that `migrate` itself writes: a database holding only these is empty.
BOOKKEEPING = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "core_partnershipsettings",
}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass
class RestoreReport:
    manifest: dict
    pending_migrations: list[str] = field(default_factory=list)
    media_files: int = 0


def _require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise BackupError(
            "backup and restore need PostgreSQL (pg_dump/pg_restore); on SQLite stop the app "
            "and copy the database file and MEDIA_ROOT."
        )


def _libpq_env() -> dict[str, str]:
    """The connection's parameters as libpq variables (no password on a command line)."""
    db = connection.settings_dict
    env = dict(os.environ)
    for var, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(args: list[str]) -> None:
    try:
        subprocess.run(args, env=_libpq_env(), check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"{args[0]} is not installed (the PostgreSQL client tools)") from None
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{args[0]} failed: {exc.stderr.strip()[-2000:]}") from None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _tar_media(target: Path) -> int:
    root = Path(settings.MEDIA_ROOT)
    files = _media_files()
    with tarfile.open(target, "w:gz") as archive:
        for path in files:
            archive.add(path, arcname=str(path.relative_to(root)), recursive=False)
    return len(files)


def create_backup(output_dir: Path, *, now: dt.datetime | None = None) -> Path:
    """Write one archive into ``output_dir`` (created if missing) and return its path."""
    _require_postgresql()
    now = now or dt.datetime.now(dt.UTC)
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / f"ceasefire-backup-{now:%Y%m%dT%H%M%SZ}.tar"
    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".backup-") as tmp:
        work = Path(tmp)
        _run(["pg_dump", "--format=custom", "--file", str(work / DUMP)])
        media_count = _tar_media(work / MEDIA)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(timespec="seconds"),
            "django": django.get_version(),
            "database": {
                "vendor": connection.vendor,
                "server_version": connection.pg_version,
                "name": connection.settings_dict["NAME"],
            },
            "migrations": applied_migrations(),
            "media_files": media_count,
            "files": {
                name: {"sha256": _sha256(work / name), "bytes": (work / name).stat().st_size}
                for name in (DUMP, MEDIA)
            },
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial = target.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as archive:
            for name in (MANIFEST, DUMP, MEDIA):
                archive.add(work / name, arcname=name)
        os.replace(partial, target)
    return target


def read_manifest(archive: Path, into: Path) -> dict:
    """Unpack ``archive`` into ``into`` and return its manifest, once every check holds."""
    try:
        with tarfile.open(archive, "r") as outer:
            names = set(outer.getnames())
            missing = {MANIFEST, DUMP, MEDIA} - names
            if missing:
                raise BackupError(f"{archive} is not a backup: {sorted(missing)} missing")
            outer.extractall(
                into, members=[outer.getmember(n) for n in (MANIFEST, DUMP, MEDIA)], filter="data"
            )
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive} cannot be read: {exc}") from None
    try:
        manifest = json.loads((into / MANIFEST).read_text())
    except ValueError:
        raise BackupError("the manifest is not valid JSON") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} (expected {FORMAT})")
    for name in (DUMP, MEDIA):
        expected = (manifest.get("files") or {}).get(name, {}).get("sha256")
        if not expected or _sha256(into / name) != expected:
            raise BackupError(f"{name} does not match its checksum: the archive is damaged")
    return manifest


def _unknown_migrations(manifest: dict) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in (manifest.get("migrations") or {}).items()
        for name in names
        if (app, name) not in known
    ]


def tables_with_data() -> list[str]:
    """The tables of this database holding rows beyond what `migrate` writes."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in BOOKKEEPING:
                continue
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quoted})")
            if cursor.fetchone()[0]:
                found.append(table)
    return found


def _wipe_database() -> None:
    """Empty the ``public`` schema (tables, sequences, functions, extensions in it)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public AUTHORIZATION pg_database_owner")
        cursor.execute("GRANT USAGE ON SCHEMA public TO PUBLIC")
    connection.close()  # nothing cached about the old tables survives


def _forget_cached_reads() -> None:
    """Empty the cache: what it holds was read from the database just replaced. Cached reads are
    keyed by the data version (``core.dataversion``), and the restored sequence goes back to the
    backup's value, so versions the old database handed out since would be handed out again and
    find figures of data that is gone."""
    try:
        cache.clear()
    except Exception:  # an unreachable Redis holds nothing anyone will read before it is back
        logger.warning("Restore: the cache could not be cleared", exc_info=True)


def _wipe_media() -> None:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _extract_media(source: Path) -> int:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source, "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.isfile()]
        archive.extractall(root, members=members, filter="data")
    return len(members)


def pending_migrations() -> list[str]:
    applied = MigrationRecorder(connection).applied_migrations()
    disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return sorted(f"{app}.{name}" for app, name in disk if (app, name) not in applied)


def restore_backup(archive: Path, *, force: bool = False) -> RestoreReport:
    """Check ``archive``, then replace this database and the media folder with its contents."""
    _require_postgresql()
    with tempfile.TemporaryDirectory(prefix="ceasefire-restore-") as tmp:
        work = Path(tmp)
        manifest = read_manifest(archive, work)
        unknown = _unknown_migrations(manifest)
        if unknown and not force:
            raise BackupError(
                "the backup was made by a newer version of the app (migrations this code does "
                f"not have: {', '.join(unknown[:5])}); restore it with that version, or --force"
            )
        if not force:
            occupied = tables_with_data()
            if occupied:
                raise BackupError(
                    f"the database is not empty ({len(occupied)} tables hold rows, e.g. "
                    f"{', '.join(occupied[:3])}); restore into an empty one or pass --force "
                    "to replace its contents"
                )
            if _media_files():
                raise BackupError(
                    f"MEDIA_ROOT ({settings.MEDIA_ROOT}) is not empty; pass --force to replace it"
                )
        _wipe_database()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                connection.settings_dict["NAME"],
                str(work / DUMP),
            ]
        )
        _wipe_media()
        media_files = _extract_media(work / MEDIA)
    _forget_cached_reads()
    return RestoreReport(
        manifest=manifest, pending_migrations=pending_migrations(), media_files=media_files
    )


def describe(manifest: dict) -> str:
    out = io.StringIO()
    out.write(f"made {manifest['created_at']} (Django {manifest['django']}), ")
    out.write(f"{sum(len(v) for v in manifest['migrations'].values())} migrations applied, ")
    out.write(f"{manifest['media_files']} media files")
    return out.getvalue()
