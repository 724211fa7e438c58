"""sql connector: SQLite file and a real PostgreSQL; one SELECT only, read-only, `:since`."""

from __future__ import annotations

import sqlite3

import pytest
from pydantic import ValidationError
from sqlalchemy import create_engine, text

from commandcenter.sources import registry
from commandcenter.sources.base import SourceError

SQL = registry.get("sql")
QUERY = "SELECT kode_opd, tanggal, realisasi FROM belanja WHERE tanggal > :since ORDER BY tanggal"
ROWS = [("dinkes", "2026-05-31", 1.5e9), ("dinkes", "2026-06-30", 2.5e9), ("rsud", "2026-06-30", 3e9)]


def opts(url, query=QUERY):
    return {"url": url, "query": query, "since_field": "tanggal",
            "samples": [{"opd_field": "kode_opd", "ts_field": "tanggal", "values": {"realisasi_belanja": "realisasi"}}]}


def test_sqlite_since_watermark(tmp_path, make_ctx):
    db = tmp_path / "keu.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE belanja (kode_opd TEXT, tanggal TEXT, realisasi REAL)")
        conn.executemany("INSERT INTO belanja VALUES (?, ?, ?)", ROWS)
    conn.close()
    result = SQL().fetch(make_ctx("sql", opts(f"sqlite:///{db}")))
    assert [(s.opd, s.period, s.value) for s in result.samples] == [
        ("dinkes", "2026-05-31", 1.5e9), ("dinkes", "2026-06-30", 2.5e9), ("rsud", "2026-06-30", 3e9)]
    assert result.checkpoints == {"since": "2026-06-30"}
    again = SQL().fetch(make_ctx("sql", opts(f"sqlite:///{db}"), checkpoints=result.checkpoints))
    assert again.nodata and not again.samples


def test_sqlite_session_is_read_only(tmp_path, make_ctx):
    db = tmp_path / "keu.sqlite"
    sqlite3.connect(db).execute("CREATE TABLE belanja (kode_opd TEXT, tanggal TEXT, realisasi REAL)").connection.close()
    ctx = make_ctx("sql", opts(f"sqlite:///{db}"))
    # get past the validator on purpose: the read-only session is the second line of defence
    object.__setattr__(ctx.options, "query", "WITH x AS (SELECT 1) INSERT INTO belanja SELECT 'a', '2030-01-01', 1 FROM x")
    with pytest.raises(SourceError, match="readonly|read-only|attempt to write"):
        SQL().fetch(ctx)


def test_missing_sqlite_file_is_not_created(tmp_path, make_ctx):
    with pytest.raises(SourceError, match="database"):
        SQL().fetch(make_ctx("sql", opts(f"sqlite:///{tmp_path / 'nope.sqlite'}")))
    assert not (tmp_path / "nope.sqlite").exists()


@pytest.mark.parametrize("query, message", [
    ("DELETE FROM belanja", "must be a SELECT, not DELETE"),
    ("SELECT 1; DROP TABLE belanja", "only one statement"),
    ("SELECT * INTO copy FROM belanja", "INTO is not allowed"),
    ("WITH d AS (DELETE FROM belanja RETURNING *) SELECT * FROM d", "DELETE is not allowed"),
    ("UPDATE belanja SET realisasi = 0", "must be a SELECT"),
])
def test_only_one_select_passes_validation(query, message):
    with pytest.raises(ValidationError, match=message):
        SQL.Options.model_validate(opts("sqlite:///x", query))
    SQL.Options.model_validate(opts("sqlite:///x", "SELECT ';' AS s, 1 -- DELETE in a comment\n;"))


@pytest.mark.postgres
def test_postgresql_with_bound_since_and_read_only(pg_url, make_ctx):
    eng = create_engine(pg_url)
    with eng.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS belanja"))
        conn.execute(text("CREATE TABLE belanja (kode_opd text, tanggal date, realisasi numeric(18,2))"))
        conn.execute(text("INSERT INTO belanja VALUES (:o, :t, :r)"), [{"o": o, "t": t, "r": r} for o, t, r in ROWS])
    eng.dispose()
    result = SQL().fetch(make_ctx("sql", opts(pg_url), checkpoints={"since": "2026-05-31"}))
    assert [(s.opd, s.period, s.value) for s in result.samples] == [("dinkes", "2026-06-30", 2.5e9), ("rsud", "2026-06-30", 3e9)]
    assert result.checkpoints == {"since": "2026-06-30"}
    ctx = make_ctx("sql", opts(pg_url))
    object.__setattr__(ctx.options, "query", "SELECT setval('x', 1)")
    with pytest.raises(SourceError, match="database error"):
        SQL().fetch(ctx)
    ctx = make_ctx("sql", opts(pg_url))
    object.__setattr__(ctx.options, "query", "WITH d AS (DELETE FROM belanja RETURNING *) SELECT * FROM d")
    with pytest.raises(SourceError, match="read-only transaction"):
        SQL().fetch(ctx)
