"""`sql`: a department database (or a read-only view) queried with one configured SELECT.

Any SQLAlchemy URL works (postgresql+psycopg://, mysql+pymysql://, sqlite:///). The query may
use bound parameters; `:since` is bound to the newest record date seen so far, so each run
reads only what is new. The query is checked at validation time (one SELECT, nothing else),
and at run time the session is made read-only as a second line of defence.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from pydantic import Field, field_validator

from commandcenter.sources import registry
from commandcenter.sources.base import Connector, FetchContext, FetchResult, Options, SourceError, dedupe
from commandcenter.sources.mapping import RecordMap, map_list

# Words that only appear in statements that write or change state (column names rarely clash).
_FORBIDDEN = {
    "insert", "update", "delete", "merge", "upsert", "drop", "alter", "create", "truncate", "grant",
    "revoke", "copy", "call", "exec", "execute", "into", "attach", "detach", "pragma", "vacuum", "lock",
}
_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`[^`]*`|--[^\n]*|/\*.*?\*/|[A-Za-z_]+|;|\S", re.DOTALL)


def check_select(query: str) -> str:
    """Accept exactly one SELECT (optionally WITH ... SELECT); raise ValueError naming what is wrong."""
    words: list[str] = []
    tokens = [t for t in _TOKEN.findall(query) if not t.startswith(("--", "/*"))]
    while tokens and tokens[-1] == ";":
        tokens.pop()
    for tok in tokens:
        if tok == ";":
            raise ValueError("only one statement is allowed (found ';' between statements)")
        if tok[0].isalpha() or tok[0] == "_":
            words.append(tok.lower())
    if not words or words[0] not in {"select", "with"}:
        raise ValueError(f"query must be a SELECT, not {words[0].upper() if words else 'empty'}")
    bad = sorted(set(words) & _FORBIDDEN)
    if bad:
        raise ValueError(f"query must only read: {', '.join(w.upper() for w in bad)} is not allowed")
    if "select" not in words:
        raise ValueError("query must contain a SELECT")
    return query


class SqlOptions(Options):
    url: str = Field(description="SQLAlchemy URL; put the password in ${ENV}")
    query: str = Field(description="one SELECT; may use :since and other :params")
    params: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    since_field: str | None = Field(None, description="column whose newest value becomes :since next run")
    since_default: str = Field("1970-01-01", description=":since on the first run")
    samples: list[RecordMap] = Field(min_length=1)

    @field_validator("query")
    @classmethod
    def _one_select(cls, value: str) -> str:
        return check_select(value)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if "://" not in value and not value.startswith("sqlite:"):
            raise ValueError("url must be a SQLAlchemy URL, e.g. postgresql+psycopg://user:${DB_PASSWORD}@host/db")
        return value


# Statements that make the session read-only, per dialect (the account should be read-only too).
_READ_ONLY = {
    "postgresql": "SET TRANSACTION READ ONLY",
    "mysql": "SET SESSION TRANSACTION READ ONLY",
    "mariadb": "SET SESSION TRANSACTION READ ONLY",
    "sqlite": "PRAGMA query_only = ON",
}


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
        from sqlalchemy import create_engine, text
        from sqlalchemy.exc import DBAPIError, SQLAlchemyError

        url = ctx.secret(opts.url).replace("{data_dir}", str(ctx.data_dir))
        _require_sqlite_file(url)
        params = dict(opts.params)
        if re.search(r":since\b", opts.query):
            params["since"] = since
        try:
            engine = create_engine(url, **_engine_args(url, ctx.timeout))
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise SourceError(ctx.redact(f"bad database URL: {type(exc).__name__}: {exc}")) from None
        try:
            with engine.connect() as conn:
                stmt = _READ_ONLY.get(engine.dialect.name)
                if stmt:
                    conn.exec_driver_sql(stmt)
                rows = conn.execute(text(opts.query), params).mappings().all()
                conn.rollback()
                return [dict(r) for r in rows]
        except DBAPIError as exc:
            retry = exc.connection_invalidated or "connect" in str(exc.orig).lower()
            raise SourceError(ctx.redact(f"database error: {_first_line(exc.orig)}"), retryable=retry) from None
        except SQLAlchemyError as exc:
            raise SourceError(ctx.redact(f"database error: {_first_line(exc)}")) from None
        finally:
            engine.dispose()


def _require_sqlite_file(url: str) -> None:
    """SQLite would create an empty database for a wrong path; say the file is missing instead."""
    if url.startswith("sqlite:///") and ":memory:" not in url:
        from pathlib import Path

        path = Path(url.removeprefix("sqlite:///").split("?")[0])
        if not path.is_file():
            raise SourceError(f"database file {path} not found")


def _engine_args(url: str, timeout: float) -> dict[str, Any]:
    from sqlalchemy.pool import NullPool

    args: dict[str, Any] = {"poolclass": NullPool}
    if url.startswith("postgresql"):
        args["connect_args"] = {"connect_timeout": max(1, int(timeout)),
                                "options": f"-c statement_timeout={int(timeout * 1000)}"}
    elif url.startswith("sqlite"):
        args["connect_args"] = {"timeout": timeout}
    elif url.startswith(("mysql", "mariadb")):
        args["connect_args"] = {"connect_timeout": max(1, int(timeout))}
    return args


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
