"""Engines and migrations: SQLite (WAL, per-user file by default) or PostgreSQL, same Alembic chain."""

from __future__ import annotations

import importlib
import re
import sqlite3
import time
from importlib import resources
from pathlib import Path

from typing import TYPE_CHECKING, Any

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event, text

from commandcenter.errors import CacheDamaged

if TYPE_CHECKING:
    from alembic.config import Config

HEAD = "0008"  # newest migration; tests/cache/test_store.py checks it against the scripts
BUSY_TIMEOUT_MS = 15000
MIGRATION_LOCK = 0x636F6D6D  # any constant; 'comm'


def default_url() -> str:
    folder = Path(user_data_dir("commandcenter", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'cache.sqlite'}"


def make_engine(url: str | None) -> Engine:
    url = url or default_url()
    if url.startswith("sqlite"):
        _ensure_parent(url)
        _refuse_empty_file(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "handle_error", _name_damage(_sqlite_file(url) or url))
        return engine
    return create_engine(url, pool_pre_ping=True)


# SQLite's words for a corrupt file (SQLITE_CORRUPT, SQLITE_NOTADB); "database is locked" is not one
_DAMAGE = re.compile(r"malformed|file is not a database|disk image|corrupt", re.IGNORECASE)
EMPTY_GRACE_S = 5.0  # a 0-byte file younger than this is another process creating the cache now


def _sqlite_file(url: str) -> str | None:
    path = url.split("///", 1)[-1].split("?", 1)[0]
    return path if path and path != ":memory:" else None


def _refuse_empty_file(url: str) -> None:
    """SQLite treats a 0-byte file as a new empty database: the cache would silently start over
    (a truncated copy, a full disk). Refuse it; a brand-new file is created and filled at once."""
    path = _sqlite_file(url)
    if path is None:
        return
    try:
        st = Path(path).stat()
    except OSError:
        return  # no file yet: a new cache
    if st.st_size == 0 and time.time() - st.st_mtime > EMPTY_GRACE_S:
        raise CacheDamaged(path, "the file is empty (0 bytes)")


def _name_damage(where: str):
    """An engine error hook: SQLite's corruption errors become CacheDamaged, named the same way
    by every command (no traceback, no 'internal error')."""
    def handle(ctx) -> None:
        orig = ctx.original_exception
        if isinstance(orig, sqlite3.DatabaseError) and _DAMAGE.search(str(orig)):
            raise CacheDamaged(where, str(orig)) from None
    return handle


def raise_if_damaged(engine: Any, exc: BaseException) -> None:
    """The same naming for errors of driver-level calls (the fast paths that bypass the hook)."""
    if isinstance(exc, sqlite3.DatabaseError) and _DAMAGE.search(str(exc)):
        url = engine.url.render_as_string(hide_password=True)
        raise CacheDamaged(_sqlite_file(url) or url, str(exc)) from None


def driver_scalar(engine: Engine, sql: str, params: tuple[Any, ...]) -> Any:
    """One value from a statement run by the SQLite driver itself: for the few reads polled every
    second by every wall and collector (change checks), where SQLAlchemy's building, caching and
    result objects cost about 7x the query (~0.15 vs ~0.02 ms, more with cold caches after a
    second's sleep). SQLite only (qmark parameters)."""
    with engine.connect() as conn:
        try:
            row = conn.connection.driver_connection.execute(sql, params).fetchone()
        except sqlite3.DatabaseError as exc:  # the driver's call bypasses the engine's hook
            raise_if_damaged(engine, exc)
            raise
    return row[0] if row else None


def integrity_check(engine: Engine, limit: int = 20) -> list[str]:
    """SQLite's PRAGMA integrity_check: [] when the file is sound, else its findings (at most
    `limit`). PostgreSQL checks its own pages; there we only read every table once."""
    from sqlalchemy import inspect

    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = [r[0] for r in conn.exec_driver_sql(f"PRAGMA integrity_check({int(limit)})")]
            return [] if rows == ["ok"] else [line for r in rows for line in r.splitlines()][:limit]
        for table in inspect(conn).get_table_names():
            conn.exec_driver_sql(f'SELECT count(*) FROM "{table}"')
    return []


def _ensure_parent(url: str) -> None:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets a wall process read while the collector writes; NORMAL is durable at each commit
    # in WAL mode except across power loss of the last transactions, which re-polling restores.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


def alembic_config() -> "Config":
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("commandcenter.cache") / "migrations"))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent; run at every start)."""
    if _at_head(engine):
        return  # the usual start: skip loading Alembic at all (it costs a wall's start-up ~0.2 s)
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # several collectors and walls may start at once on a fresh database: one migrates,
            # the others wait for it (the lock ends with the transaction)
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _at_head(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
    except Exception:  # no table yet (a fresh database): migrate
        return False


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def dialect_insert(dialect: str, model: Any) -> Any:
    """The dialect's INSERT (with its ON CONFLICT forms), its module imported on first use: the
    PostgreSQL dialect pulls asyncio in, which a wall on SQLite would load at start-up for nothing."""
    return importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert(model)
