"""The `sql` connector's first fence: a real SQL parser (sqlglot) for the source's dialect decides
whether a query only reads. The second fence is the read-only session (sources/sql.py); the
third, outside this program, is a read-only database role (admin guide).

Accepted: exactly one statement that is a SELECT (WITH ... SELECT, UNION ... of SELECTs), with no
data-changing node anywhere in its tree (a `WITH d AS (DELETE ...)` hides one inside a SELECT),
no SELECT INTO, no row locks, and no call of a function known to act outside the query.
"""

from __future__ import annotations

import re

# SQLAlchemy dialect name -> sqlglot dialect; an unknown dialect is parsed as generic SQL
_DIALECTS = {"postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql", "sqlite": "sqlite",
             "mssql": "tsql", "oracle": "oracle"}

# Functions that act outside the query: end sessions, read or write server files, change settings,
# open connections to other databases, move sequences, take locks, run a query given as text.
_DENY_NAMES = {
    "set_config", "nextval", "setval", "pg_notify", "pg_sleep", "pg_sleep_for", "pg_sleep_until",
    "query_to_xml", "query_to_xml_and_xmlschema", "query_to_xmlschema", "cursor_to_xml",
    "txid_current", "pg_current_xact_id", "pg_import_system_collations",
    "load_file", "sleep", "benchmark", "get_lock", "release_lock", "release_all_locks",
    "sys_exec", "sys_eval", "master_pos_wait", "source_pos_wait",
    "load_extension", "readfile", "writefile", "edit", "fts3_tokenizer",
    "openrowset", "opendatasource", "openquery", "utl_http", "utl_file",
}
_DENY_PREFIXES = (
    "dblink", "lo_", "pg_terminate", "pg_cancel", "pg_reload", "pg_rotate", "pg_read", "pg_ls_",
    "pg_stat_file", "pg_file", "pg_advisory", "pg_try_advisory", "pg_create", "pg_drop", "pg_replication",
    "pg_switch", "pg_start", "pg_stop", "pg_backup", "pg_promote", "pg_logical", "pg_wal", "pg_log_",
    "pg_copy", "pg_import", "pg_export", "pg_truncate", "pg_stat_reset", "xp_", "sp_", "dbms_",
)
# MySQL runs the text of /*! ... */ and /*M! ... */ comments as SQL; other parsers skip it
_MYSQL_EXEC_COMMENT = re.compile(r"/\*[!M]")


def dialect_of(url: str) -> str | None:
    """The sqlglot dialect of a SQLAlchemy URL (`postgresql+psycopg://...` -> `postgres`)."""
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    return _DIALECTS.get(scheme)


def check_select(query: str, dialect: str | None = None) -> str:
    """Return `query` if it only reads; raise ValueError saying what is not allowed."""
    import sqlglot
    from sqlglot.errors import SqlglotError

    if _MYSQL_EXEC_COMMENT.search(query):
        raise ValueError("/*! ... */ comments are not allowed (MySQL executes their content)")
    try:
        trees = [t for t in sqlglot.parse(query, read=dialect) if t is not None]
    except SqlglotError as exc:
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise ValueError(f"cannot parse the query as {dialect or 'generic'} SQL: {first}") from None
    if len(trees) != 1:
        kinds = ", ".join(_kind(t) for t in trees) or "nothing"
        raise ValueError(f"only one statement is allowed, found {len(trees)} ({kinds})")
    tree = trees[0]
    if not _is_select(tree):
        raise ValueError(f"query must be a SELECT, not {_kind(tree)}")
    for node in tree.walk():
        bad = _forbidden(node)
        if bad:
            raise ValueError(f"query must only read: {bad} is not allowed")
    return query


def _is_select(tree) -> bool:
    from sqlglot import exp

    while isinstance(tree, (exp.Subquery, exp.Paren)):
        tree = tree.this
    return isinstance(tree, (exp.Select, exp.Union, exp.Intersect, exp.Except))


def _kind(node) -> str:
    from sqlglot import exp

    if isinstance(node, exp.Command):
        return str(node.this).upper()
    return {"Into": "INTO", "Lock": "FOR UPDATE/SHARE"}.get(type(node).__name__, type(node).__name__.upper())


def _forbidden(node) -> str | None:
    from sqlglot import exp

    unsafe = (exp.DML, exp.DDL, exp.Into, exp.Lock, exp.Command, exp.Transaction, exp.Commit,
              exp.Rollback, exp.Set, exp.Pragma, exp.Use)
    if isinstance(node, unsafe):
        return _kind(node)
    if isinstance(node, exp.Func):
        for name in _function_names(node):
            if name in _DENY_NAMES or name.startswith(_DENY_PREFIXES):
                return f"function {name}()"
    return None


def _function_names(node) -> set[str]:
    from sqlglot import exp

    names = {type(node).__name__.lower()}
    if isinstance(node, exp.Anonymous):
        names.add(str(node.name).lower())
    else:
        names.add(node.sql_name().lower())
    return names
