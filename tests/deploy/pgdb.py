"""A fresh PostgreSQL database per test on the session's real server (tests/pg_server.py)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.engine import make_url


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def create_database(server_url: str) -> str:
    """CREATE DATABASE cc_<random> on the server of `server_url`; return its SQLAlchemy URL."""
    import psycopg

    name = f"cc_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(libpq(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, url: str) -> None:
    import psycopg

    name = make_url(url).database
    with psycopg.connect(libpq(server_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_db(pg_url):
    url = create_database(pg_url)
    yield url
    drop_database(pg_url, url)
