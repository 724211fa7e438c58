"""sql connector: SQLite file and a real PostgreSQL; one SELECT only, read-only, `:since`."""

from __future__ import annotations

import re
import sqlite3
import time

import pytest
from pydantic import ValidationError
from sqlalchemy import create_engine, text

from commandcenter.sources import registry
from commandcenter.sources.base import SourceError
from commandcenter.sources.sql import read_only_query
from commandcenter.sources.sqlguard import check_select

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


def test_sqlite_session_is_read_only(tmp_path):
    """The second fence alone (no parser in front): the file is opened read-only."""
    db = tmp_path / "keu.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE belanja (kode_opd TEXT, tanggal TEXT, realisasi REAL)")
        conn.executemany("INSERT INTO belanja VALUES (?, ?, ?)", ROWS)
    conn.close()
    for query in ("WITH x AS (SELECT 1) INSERT INTO belanja SELECT 'a', '2030-01-01', 1 FROM x",
                  "DELETE FROM belanja", "DROP TABLE belanja"):
        with pytest.raises(SourceError, match="readonly|attempt to write"):
            read_only_query(f"sqlite:///{db}", query, {}, 5.0)
    assert sqlite3.connect(db).execute("SELECT count(*) FROM belanja").fetchone() == (3,)


def test_sqlite_statement_timeout(tmp_path):
    db = tmp_path / "keu.sqlite"
    sqlite3.connect(db).execute("CREATE TABLE t (x)").connection.close()
    slow = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT count(*) FROM c"
    started = time.monotonic()
    with pytest.raises(SourceError, match="interrupted"):
        read_only_query(f"sqlite:///{db}", slow, {}, 0.5)
    assert time.monotonic() - started < 5


def test_missing_sqlite_file_is_not_created(tmp_path, make_ctx):
    with pytest.raises(SourceError, match="database"):
        SQL().fetch(make_ctx("sql", opts(f"sqlite:///{tmp_path / 'nope.sqlite'}")))
    assert not (tmp_path / "nope.sqlite").exists()


@pytest.mark.parametrize("query, message", [
    ("DELETE FROM belanja", "must be a SELECT, not DELETE"),
    ("SELECT 1; DROP TABLE belanja", "only one statement is allowed, found 2"),
    ("SELECT * INTO copy FROM belanja", "INTO is not allowed"),
    ("WITH d AS (DELETE FROM belanja RETURNING *) SELECT * FROM d", "DELETE is not allowed"),
    ("UPDATE belanja SET realisasi = 0", "must be a SELECT"),
    ("SELECT * FROM belanja FOR UPDATE", "FOR UPDATE/SHARE is not allowed"),
])
def test_only_one_select_passes_validation(query, message):
    with pytest.raises(ValidationError, match=message):
        SQL.Options.model_validate(opts("sqlite:///x", query))
    SQL.Options.model_validate(opts("sqlite:///x", "SELECT ';' AS s, 1 -- DELETE in a comment\n;"))


# every bypass from issue 18, parsed in the dialect of the source's URL
BYPASSES = [
    ("postgres", "SELECT $a$'$a$ AS z; COMMIT; DELETE FROM victim; SELECT kode_opd, tanggal, nilai, $b$'$b$ AS z FROM v",
     "only one statement is allowed, found 4 (SELECT, COMMIT, DELETE, SELECT)"),
    ("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity", "function pg_terminate_backend()"),
    ("postgres", "SELECT pg_catalog.pg_terminate_backend(1)", "function pg_terminate_backend()"),
    ("postgres", "SELECT lo_import('/etc/passwd')", "function lo_import()"),
    ("postgres", "SELECT set_config('default_transaction_read_only', 'off', false)", "function set_config()"),
    ("postgres", "SELECT pg_read_file('/etc/passwd')", "function pg_read_file()"),
    ("postgres", "SELECT * FROM dblink('dbname=x', 'DELETE FROM victim') AS t(a int)", "function dblink()"),
    ("postgres", "SELECT query_to_xml('DELETE FROM victim RETURNING 1', true, true, '')", "function query_to_xml()"),
    ("postgres", "SELECT nextval('victim_seq')", "function nextval()"),
    ("mysql", "SELECT 1 /*! ; DELETE FROM victim */", "/*! ... */ comments are not allowed"),
    ("mysql", "SELECT 1 /*M!100000 , (DELETE FROM victim) */", "/*! ... */ comments are not allowed"),
    ("mysql", "SELECT LOAD_FILE('/etc/passwd')", "function load_file()"),
    ("sqlite", "SELECT load_extension('evil')", "function load_extension()"),
]


@pytest.mark.parametrize("dialect, query, message", BYPASSES)
def test_parser_refuses_every_bypass(dialect, query, message):
    scheme = {"postgres": "postgresql+psycopg://u@h/d", "mysql": "mysql+pymysql://u@h/d", "sqlite": "sqlite:///x"}
    with pytest.raises(ValidationError) as err:
        SQL.Options.model_validate(opts(scheme[dialect], query))
    assert message in str(err.value)
    with pytest.raises(ValueError):
        check_select(query, dialect)


@pytest.mark.parametrize("query", [
    "SELECT kode_opd, date_trunc('month', tanggal) AS bulan, sum(nilai) FROM v GROUP BY 1, 2",
    "WITH m AS (SELECT * FROM v WHERE tanggal > :since) SELECT * FROM m",
    "SELECT a FROM b UNION ALL SELECT c FROM d",
    "SELECT $$it's; DELETE$$ AS note, nilai FROM v",
])
def test_ordinary_reads_pass(query):
    assert check_select(query, "postgres") == query


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
    with pytest.raises(SourceError, match="read-only transaction"):
        read_only_query(pg_url, "WITH d AS (DELETE FROM belanja RETURNING *) SELECT * FROM d", {}, 5.0)


def _victim_rows(pg_url):
    eng = create_engine(pg_url)
    with eng.connect() as conn:
        rows = conn.execute(text("SELECT count(*), sum(id) FROM victim")).one()
    eng.dispose()
    return tuple(rows)


@pytest.mark.postgres
def test_postgresql_victim_survives_every_bypass(pg_url, make_ctx):
    """Each bypass of issue 18 against a real PostgreSQL, as a superuser (the worst account):
    the connector refuses it before connecting, and the read-only session alone (parser
    skipped) still stops every write; the victim table and a bystander session survive."""
    eng = create_engine(pg_url)
    with eng.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS victim; DROP VIEW IF EXISTS v; DROP SEQUENCE IF EXISTS victim_seq"))
        conn.execute(text("CREATE TABLE victim (id int, kode_opd text, tanggal date, nilai numeric)"))
        conn.execute(text("INSERT INTO victim SELECT g, 'dinkes', DATE '2026-06-30', g FROM generate_series(1, 5) g"))
        conn.execute(text("CREATE VIEW v AS SELECT kode_opd, tanggal, nilai FROM victim"))
        conn.execute(text("CREATE SEQUENCE victim_seq"))
    bystander = eng.connect()
    before = _victim_rows(pg_url)
    assert before == (5, 15)
    try:
        for dialect, query, message in BYPASSES:
            if dialect != "postgres":
                continue
            ctx = make_ctx("sql", opts(pg_url, "SELECT kode_opd, tanggal, nilai FROM v"))
            object.__setattr__(ctx.options, "query", query)  # as if validation were skipped
            with pytest.raises(SourceError, match="query refused: .*" + re.escape(message)):
                SQL().fetch(ctx)
            assert _victim_rows(pg_url) == before, query
        writes = [
            BYPASSES[0][1],  # dollar quotes + COMMIT + DELETE: one prepared statement only
            "WITH d AS (DELETE FROM victim RETURNING *) SELECT * FROM d",
            "SELECT set_config('transaction_read_only', 'off', true), (SELECT count(*) FROM victim)",
            "SELECT query_to_xml('DELETE FROM victim RETURNING 1', true, true, '')",
            "SELECT nextval('victim_seq')",
            "SELECT * INTO stolen FROM victim",
        ]
        for query in writes:
            with pytest.raises(SourceError, match="read-only transaction|multiple commands|read-write mode|non-volatile"):
                read_only_query(pg_url, query, {}, 5.0)
            assert _victim_rows(pg_url) == before, query
        # a superuser may still read a server file into a large object inside the read-only
        # transaction: the rollback at the end of every query throws it away (and a read-only
        # role, as the admin guide says, may not call lo_import at all)
        assert len(read_only_query(pg_url, "SELECT lo_import('/etc/hostname')", {}, 5.0)) == 1
        assert bystander.execute(text("SELECT count(*) FROM pg_largeobject_metadata")).scalar() == 0
        assert bystander.execute(text("SELECT 1")).scalar() == 1  # nobody terminated it
        with eng.connect() as conn:
            assert conn.execute(text("SELECT last_value, is_called FROM victim_seq")).one() == (1, False)
            assert conn.execute(text("SELECT to_regclass('stolen')")).scalar() is None
    finally:
        bystander.close()
        eng.dispose()


@pytest.mark.postgres
def test_postgresql_statement_timeout(pg_url):
    started = time.monotonic()
    with pytest.raises(SourceError, match="statement timeout"):
        read_only_query(pg_url, "SELECT pg_sleep(30)", {}, 1.0)
    assert time.monotonic() - started < 5


def test_only_the_fetching_commands_parse_the_query(config_copy, capsys):
    """validate/collect (check_secrets) parse a sql source's query and refuse a DELETE; the wall,
    which never runs it, loads the same config without importing the SQL parser."""
    import subprocess
    import sys

    from commandcenter.runtime import load_or_report

    path = config_copy / "sources.yaml"
    text_ = path.read_text()
    assert "SELECT kode_opd, tanggal, pagu, realisasi FROM realisasi_belanja_opd" in text_
    path.write_text(text_.replace("SELECT kode_opd, tanggal, pagu, realisasi FROM realisasi_belanja_opd",
                                  "DELETE FROM realisasi_belanja_opd"))
    assert load_or_report(str(config_copy), check_secrets=True) is None
    assert ".options.query: " in capsys.readouterr().err
    assert load_or_report(str(config_copy)) is not None
    probe = ("import sys; from commandcenter.runtime import load_or_report; "
             f"assert load_or_report({str(config_copy)!r}) is not None; print('sqlglot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
