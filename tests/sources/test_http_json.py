"""http_json against real servers: the simulator's SIPD feed and a programmable test server."""

from __future__ import annotations

import json
import logging

import pytest
from pydantic import ValidationError

from commandcenter.config.errors import SecretMissing
from commandcenter.sources import registry
from commandcenter.sources.base import SourceError

HTTP = registry.get("http_json")


def test_paginated_mapping_from_the_simulator(tmp_path, make_ctx):
    from tests.simulator.helpers import start_sim_env

    env = start_sim_env(tmp_path)
    try:
        src = env.cfg.source_by_id["sipd-realisasi"]
        result = HTTP().fetch(make_ctx("http_json", src.options))
    finally:
        env.sim.stop()
    rows = env.sim.data().realisasi_rows()
    by_key = {(s.metric, s.opd, s.period): s.value for s in result.samples}
    assert not result.rejected
    assert len(rows) > 100  # more than one page of 100
    for r in rows:
        assert by_key[("serapan_keuangan", r["kode_opd"], r["bulan"])] == r["persen_keuangan"]
    city = env.sim.data().realisasi_city()
    assert by_key[("realisasi_fisik", "", "2026-06")] == city["persen_fisik"]


def test_secret_header_and_query_resolved_at_use_never_logged(server, make_ctx, caplog):
    server.routes["/api"] = lambda h, b: (
        (200, "application/json", b'{"v": 5}') if h.headers.get("Authorization") == "Bearer s3cr3t-token"
        else (401, "application/json", b"{}"))
    opts = {"url": server.url + "/api", "headers": {"Authorization": "Bearer ${LAPOR_TOKEN}"},
            "query": {"key": "${LAPOR_TOKEN}"}, "samples": [{"records": "[@]", "values": {"bor": "v"}}]}
    caplog.set_level(logging.DEBUG)
    result = HTTP().fetch(make_ctx("http_json", opts, environ={"LAPOR_TOKEN": "s3cr3t-token"}))
    assert [s.value for s in result.samples] == [5.0]
    assert server.requests[-1]["path"].endswith("key=s3cr3t-token")
    with pytest.raises(SecretMissing, match="LAPOR_TOKEN"):
        HTTP().fetch(make_ctx("http_json", opts, environ={}))
    with pytest.raises(SourceError, match="HTTP 401 authentication failed") as exc:
        HTTP().fetch(make_ctx("http_json", opts, environ={"LAPOR_TOKEN": "wrong-token"}))
    assert "wrong-token" not in str(exc.value)
    assert "s3cr3t" not in caplog.text


def test_post_body_and_size_cap(server, make_ctx):
    server.routes["/big"] = lambda h, b: (200, "application/json", json.dumps({"x": "a" * 5000, "b": b}).encode())
    opts = {"url": server.url + "/big", "method": "POST", "body": {"tahun": 2026}, "max_bytes": 1000,
            "samples": [{"records": "[@]", "values": {"bor": "b.tahun"}}]}
    with pytest.raises(SourceError, match="over the 1000 byte cap"):
        HTTP().fetch(make_ctx("http_json", opts))
    result = HTTP().fetch(make_ctx("http_json", {**opts, "max_bytes": 100_000}))
    assert result.samples[0].value == 2026
    assert server.requests[-1]["method"] == "POST" and server.requests[-1]["body"] == {"tahun": 2026}


def test_mapping_matched_nothing_and_bad_records(server, make_ctx):
    server.json("/d", {"data": [{"opd": "dinkes", "v": "12,5"}, {"opd": "rsud", "v": "n/a"}, {"v": 3}]})
    opts = {"url": server.url + "/d", "samples": [{"records": "items", "values": {"bor": "v"}}]}
    with pytest.raises(SourceError, match="mapping matched nothing"):
        HTTP().fetch(make_ctx("http_json", opts))
    opts["samples"] = [{"records": "data", "opd_field": "opd", "values": {"bor": "v"}, "decimal": ","}]
    result = HTTP().fetch(make_ctx("http_json", opts))
    assert [(s.opd, s.value) for s in result.samples] == [("dinkes", 12.5)]
    assert result.rejected == ["data[1]: bor (v): expected a number, got 'n/a'", "data[2]: no OPD in 'opd' (None)"]


def test_next_link_pagination(server, make_ctx):
    server.json("/p1", {"items": [{"v": 1, "t": "2026-01"}], "next": "/p2"})
    server.json("/p2", {"items": [{"v": 2, "t": "2026-02"}], "next": None})
    opts = {"url": server.url + "/p1", "pagination": {"mode": "next", "next_field": "next"},
            "samples": [{"records": "items", "values": {"bor": "v"}, "opd": "rsud", "ts_field": "t"}]}
    assert sorted(s.value for s in HTTP().fetch(make_ctx("http_json", opts)).samples) == [1.0, 2.0]


def test_next_link_to_another_server_is_refused_with_the_token(server, make_ctx):
    server.json("/p1", {"items": [{"v": 1, "t": "2026-01"}], "next": "http://127.0.0.2:9/steal"})
    opts = {"url": server.url + "/p1", "headers": {"Authorization": "Bearer ${LAPOR_TOKEN}"},
            "pagination": {"mode": "next", "next_field": "next"},
            "samples": [{"records": "items", "values": {"bor": "v"}, "opd": "rsud", "ts_field": "t"}]}
    with pytest.raises(SourceError, match="next page link points to another server"):
        HTTP().fetch(make_ctx("http_json", opts, environ={"LAPOR_TOKEN": "s3cr3t-token"}))
    assert len(server.requests) == 1  # nothing was sent to the other server


def test_redaction_covers_quoted_forms_of_a_secret():
    from commandcenter.config.secrets import redact

    env = {"BPS_KEY": "a/b c+d"}
    text = "GET /api?key=a%2Fb%20c%2Bd failed; params={'key': 'a/b c+d'}; form key=a%2Fb+c%2Bd"
    assert redact(text, env, ["BPS_KEY"]) == "GET /api?key=*** failed; params={'key': '***'}; form key=***"


def test_options_are_strict():
    with pytest.raises(ValidationError, match="extra"):
        HTTP.Options.model_validate({"url": "http://x", "samples": [{"values": {"a": "b"}}], "verify": False})
    with pytest.raises(ValidationError, match="invalid jmespath"):
        HTTP.Options.model_validate({"url": "http://x", "samples": [{"records": "data[", "values": {"a": "b"}}]})
    with pytest.raises(ValidationError, match="http"):
        HTTP.Options.model_validate({"url": "ftp://x", "samples": [{"values": {"a": "b"}}]})


def test_an_answer_with_the_last_committed_fingerprint_is_not_parsed(server, make_ctx):
    server.json("/p1", {"items": [{"v": 1, "t": "2026-01"}], "next": "/p2"})
    server.json("/p2", {"items": [{"v": 2, "t": "2026-02"}], "next": None})
    opts = {"url": server.url + "/p1", "pagination": {"mode": "next", "next_field": "next"},
            "samples": [{"records": "items", "values": {"bor": "v"}, "opd": "rsud", "ts_field": "t"}]}
    first = HTTP().fetch(make_ctx("http_json", opts))
    assert len(first.fingerprint) == 32 and not first.unchanged and len(first.samples) == 2
    ctx = make_ctx("http_json", opts)
    ctx.fingerprint = first.fingerprint  # what the collector offers once it committed `first`
    again = HTTP().fetch(ctx)
    assert again.unchanged and again.fingerprint == first.fingerprint and again.samples == []
    assert len(server.requests) == 4  # both pages were fetched again: the answer is all of them
    # a change on the second page is another answer, parsed in full
    server.json("/p2", {"items": [{"v": 3, "t": "2026-02"}], "next": None})
    changed = HTTP().fetch(ctx)
    assert not changed.unchanged and changed.fingerprint != first.fingerprint
    assert sorted(s.value for s in changed.samples) == [1.0, 3.0]
