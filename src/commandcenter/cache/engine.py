"""Engines and migrations: SQLite (WAL, per-user file by default) or PostgreSQL, same Alembic chain."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from typing import TYPE_CHECKING

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event, text

if TYPE_CHECKING:
    from alembic.config import Config

HEAD = "0007"  # newest migration; tests/cache/test_store.py checks it against the scripts
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
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


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
