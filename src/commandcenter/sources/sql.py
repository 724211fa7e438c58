"""`sql`: a department database (or a read-only view) queried with one configured SELECT.

Any SQLAlchemy URL works (postgresql+psycopg://, mysql+pymysql://, sqlite:///). The query may
use bound parameters; `:since` is bound to the newest record date seen so far, so each run
reads only what is new. Read-only by construction: the query is parsed in the URL's dialect
(sqlguard.py: one SELECT, nothing that writes) at validation and again at run time, then runs as
one statement in a session that is read-only at the session level, with a statement timeout.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from pydantic import Field, ValidationInfo, field_validator

from commandcenter.sources import registry
from commandcenter.sources.base import Connector, FetchContext, FetchResult, Options, SourceError, dedupe
from commandcenter.sources.mapping import RecordMap, map_list
from commandcenter.sources.sqlguard import check_select, dialect_of


class SqlOptions(Options):
    url: str = Field(description="SQLAlchemy URL; put the password in ${ENV}")
    query: str = Field(description="one SELECT; may use :since and other :params")
    params: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    since_field: str | None = Field(None, description="column whose newest value becomes :since next run")
    since_default: str = Field("1970-01-01", description=":since on the first run")
    samples: list[RecordMap] = Field(min_length=1)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if "://" not in value and not value.startswith("sqlite:"):
            raise ValueError("url must be a SQLAlchemy URL, e.g. postgresql+psycopg://user:${DB_PASSWORD}@host/db")
        return value

    @field_validator("query")
    @classmethod
    def _one_select(cls, value: str, info: ValidationInfo) -> str:
        # parsed in the URL's dialect (url is validated first): PostgreSQL dollar quotes, MySQL
        # comments... mean different things in each
        if (info.context or {}).get("deep") is False:
            return value  # a process that never runs the query (the wall): see sources.checks
        return check_select(value, dialect_of(info.data.get("url") or ""))


@registry.register
class Sql(Connector):
    type_name = "sql"
    Options = SqlOptions

    def fetch(self, ctx: FetchContext) -> FetchResult:
        opts: SqlOptions = ctx.options
        since = ctx.get_checkpoint("since") or opts.since_default
        rows = self._query(ctx, opts, since)
        result = FetchResult()
        for rmap in opts.samples:
            samples, rejected = map_list(rmap, rows, ctx.tz, ctx.now, lambda i: f"row {i + 1}", ".")
            result.samples += samples
            result.rejected += rejected
        result.samples = dedupe(result.samples)
        if not rows:
            result.nodata, result.message = True, f"no rows since {since}"
        newest = _newest(rows, opts.since_field)
        if newest:
            result.checkpoints["since"] = newest
        return result

    def _query(self, ctx: FetchContext, opts: SqlOptions, since: str) -> list[dict[str, Any]]:
        url = ctx.secret(opts.url).replace("{data_dir}", str(ctx.data_dir))
        try:  # again at run time: the URL's dialect is only sure once ${ENV} is resolved
            check_select(opts.query, dialect_of(url))
        except ValueError as exc:
            raise SourceError(f"query refused: {exc}") from None
        params = dict(opts.params)
        if re.search(r":since\b", opts.query):
            params["since"] = since
        try:
            return read_only_query(url, opts.query, params, ctx.timeout, ctx.cancelled)
        except SourceError as exc:
            raise SourceError(ctx.redact(exc.reason), exc.retryable) from None


def read_only_query(url: str, query: str, params: dict[str, Any], timeout: float,
                    cancelled: Callable[[], bool] = lambda: False) -> list[dict[str, Any]]:
    """Run one statement in a session that cannot write (the second fence, whatever the query says),
    with a statement timeout; rows as dicts. Errors become SourceError (not yet redacted)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    _require_sqlite_file(url)
    try:
        engine = _engine(url, timeout, cancelled)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise SourceError(f"bad database URL: {type(exc).__name__}: {exc}") from None
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")  # also the session default
                rows = _pg_prepared(conn, query, params)
            else:  # sqlite3 and the MySQL drivers run one statement per call
                if engine.dialect.name in ("mysql", "mariadb"):
                    # every transaction of this session is read-only (init_command said so too)
                    conn.exec_driver_sql("SET SESSION TRANSACTION READ ONLY")
                rows = [dict(r) for r in conn.execute(text(query), params).mappings().all()]
            conn.rollback()
            return rows
    except DBAPIError as exc:
        retry = exc.connection_invalidated or "connect" in str(exc.orig).lower()
        raise SourceError(f"database error: {_first_line(exc.orig)}", retryable=retry) from None
    except SQLAlchemyError as exc:
        raise SourceError(f"database error: {_first_line(exc)}") from None
    except _PgError as exc:
        raise SourceError(f"database error: {_first_line(exc)}") from None
    finally:
        engine.dispose()


class _PgError(Exception):
    pass


def _pg_prepared(conn: Any, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """psycopg sends a query without parameters with the simple protocol, which runs every
    statement in the text; a prepared statement holds exactly one, whatever the text hides."""
    from sqlalchemy import text

    compiled = text(query).compile(dialect=conn.dialect)
    raw = conn.connection.driver_connection
    try:
        with raw.cursor() as cur:
            cur.execute(str(compiled), compiled.construct_params(params), prepare=True)
            names = [d.name for d in cur.description or []]
            return [dict(zip(names, row)) for row in cur.fetchall()]
    except raw.Error as exc:
        raise _PgError(str(exc)) from None


def _require_sqlite_file(url: str) -> None:
    """SQLite would create an empty database for a wrong path; say the file is missing instead."""
    if url.startswith("sqlite:///") and ":memory:" not in url:
        path = _sqlite_path(url)
        if not path.is_file():
            raise SourceError(f"database file {path} not found")


def _sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///").split("?")[0])


def _engine(url: str, timeout: float, cancelled: Callable[[], bool]) -> Any:
    """An engine whose every connection is read-only at the session level, with time limits."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    ms = max(1, int(timeout * 1000))
    if url.startswith("sqlite"):
        return create_engine("sqlite://", poolclass=NullPool, creator=lambda: _sqlite_read_only(url, timeout, cancelled))
    args: dict[str, Any] = {"poolclass": NullPool}
    if url.startswith("postgresql"):
        # a session default, not a transaction setting: a COMMIT smuggled into the query would
        # start the next transaction read-only again
        args["connect_args"] = {"connect_timeout": max(1, int(timeout)), "options": (
            f"-c default_transaction_read_only=on -c statement_timeout={ms}"
            f" -c idle_in_transaction_session_timeout={ms + 1000}")}
    elif url.startswith(("mysql", "mariadb")):
        # no multi-statement flag (the drivers' default): one statement per call; the read
        # timeout bounds a statement on MySQL and MariaDB alike (their server variables differ)
        args["connect_args"] = {"connect_timeout": max(1, int(timeout)), "read_timeout": max(1, int(timeout)),
                                "init_command": "SET SESSION TRANSACTION READ ONLY"}
    return create_engine(url, **args)


def _sqlite_read_only(url: str, timeout: float, cancelled: Callable[[], bool]) -> Any:
    """A sqlite3 connection opened read-only (mode=ro), query_only, aborted past the timeout
    or when the collector stops."""
    import sqlite3
    import time
    from urllib.parse import quote

    if ":memory:" in url:
        conn = sqlite3.connect(":memory:", check_same_thread=False)
    else:
        conn = sqlite3.connect(f"file:{quote(str(_sqlite_path(url).resolve()))}?mode=ro", uri=True,
                               timeout=timeout, check_same_thread=False)
    conn.execute("PRAGMA query_only = ON")
    deadline = time.monotonic() + timeout
    # called every 10,000 VM steps; a non-zero return interrupts the statement
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline or cancelled()), 10_000)
    return conn


def _first_line(exc: Any) -> str:
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__


def _newest(rows: list[dict[str, Any]], field: str | None) -> str | None:
    if not field:
        return None
    values = [r.get(field) for r in rows if r.get(field) is not None]
    if not values:
        return None
    try:  # native order: 10 > 9 for numbers, dates by date
        newest = max(values)
    except TypeError:  # mixed types in one column: fall back to their text
        newest = max(values, key=lambda v: v.isoformat() if isinstance(v, (date, datetime)) else str(v))
    return newest.isoformat() if isinstance(newest, (date, datetime)) else str(newest)
