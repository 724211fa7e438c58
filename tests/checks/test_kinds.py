"""Each check kind against real servers on 127.0.0.1: the right state and reason, in bounded time."""

import resource
import socket
import time

import pytest

from commandcenter.checks import base
from commandcenter.checks.base import CheckContext
from commandcenter.collector.apps import check_app
from commandcenter.config.schema.apps import AppsFile
from tests.checks.servers import closed_port


def run(check: dict, timeout: float = 2.0):
    file = AppsFile.model_validate({"version": 1, "apps": [
        {"id": "app", "opd": "setda", "name": "App", "check": check, "timeout": timeout}]})
    started = time.monotonic()
    result = check_app(file, file.apps[0], CheckContext())
    return result, time.monotonic() - started


def url(server, path, scheme="http"):
    return f"{scheme}://127.0.0.1:{server.port}{path}"


def test_healthy_page_with_keyword(web):
    r, _ = run({"kind": "http", "url": url(web, "/ok"), "keyword": "masuk"})
    assert r.up and r.reason == base.OK and r.latency_ms is not None and r.latency_ms < 2000
    assert r.cert_days is None


def test_maintenance_page_fails_the_keyword(web):
    r, _ = run({"kind": "http", "url": url(web, "/maintenance"), "keyword": "Masuk"})
    assert not r.up and r.reason == base.KEYWORD and "Masuk" in r.message


def test_json_field(web):
    ok, _ = run({"kind": "http", "url": url(web, "/json"), "json_path": "status", "json_equals": "UP"})
    bad, _ = run({"kind": "http", "url": url(web, "/json"), "json_path": "status", "json_equals": "DOWN"})
    assert ok.up and not bad.up and bad.reason == base.JSON and "'UP'" in bad.message


def test_status_code_is_the_reason(web):
    r, _ = run({"kind": "http", "url": url(web, "/error")})
    assert not r.up and r.reason == 503 and base.reason_text(r.reason) == "HTTP 503"
    assert run({"kind": "http", "url": url(web, "/error"), "status": [200, 503]})[0].up


def test_redirect_followed_and_loop_stopped(web):
    assert run({"kind": "http", "url": url(web, "/hop"), "keyword": "Masuk"})[0].up
    r, took = run({"kind": "http", "url": url(web, "/loop")})
    assert not r.up and r.reason == base.REDIRECTS and "more than 5" in r.message and took < 2.0


def test_slow_server_times_out_at_the_deadline(web):
    r, took = run({"kind": "http", "url": url(web, "/slow?s=5")}, timeout=1.0)
    assert not r.up and r.reason == base.TIMEOUT
    assert 0.9 < took < 1.6


def test_drip_fails_at_the_deadline(web):
    """One byte every 0.2 s never trips a read timeout: the deadline guard ends it."""
    r, took = run({"kind": "http", "url": url(web, "/drip")}, timeout=1.5)
    assert not r.up and r.reason == base.TIMEOUT and "1.5 s" in r.message
    assert 1.4 < took < 2.1


def test_endless_body_is_cut_in_bounded_memory(web):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    r, took = run({"kind": "http", "url": url(web, "/endless"), "keyword": "never"}, timeout=3.0)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert not r.up and r.reason == base.TOO_BIG and "256 KiB" in r.message
    assert took < 1.5 and grown_kib < 20_000


def test_refused_and_silent(web):
    r, took = run({"kind": "http", "url": f"http://127.0.0.1:{closed_port()}/"})
    assert not r.up and r.reason == base.CONNECT and took < 1.0
    r, took = run({"kind": "http", "url": url(web, "/silent")}, timeout=1.0)
    assert not r.up and r.reason == base.TIMEOUT and took < 1.6


def test_tls_days_left_from_the_test_ca(tls, pki):
    r, _ = run({"kind": "http", "url": url(tls, "/ok", "https"), "ca_file": str(pki["ca"]), "keyword": "Masuk"})
    assert r.up and r.cert_days is not None and 9.0 < r.cert_days <= 10.0


def test_tls_unknown_ca_and_wrong_name_fail_with_reason(tls, tls_other, pki):
    r, took = run({"kind": "http", "url": url(tls, "/ok", "https")})  # system trust store: unknown CA
    assert not r.up and r.reason == base.TLS and "certificate verify failed" in r.message and took < 2.0
    r, took = run({"kind": "http", "url": url(tls_other, "/ok", "https"), "ca_file": str(pki["ca"])})
    assert not r.up and r.reason == base.TLS and "mismatch" in r.message.lower() and took < 2.0


def test_tcp_and_dns():
    listener = socket.create_server(("127.0.0.1", 0))
    try:
        assert run({"kind": "tcp", "host": "127.0.0.1", "port": listener.getsockname()[1]})[0].up
    finally:
        listener.close()
    r, _ = run({"kind": "tcp", "host": "127.0.0.1", "port": closed_port()})
    assert not r.up and r.reason == base.CONNECT
    r, _ = run({"kind": "dns", "name": "localhost", "expect": ["127.0.0.1"]})
    assert r.up and "127.0.0.1" in r.message
    r, _ = run({"kind": "dns", "name": "no-such-host.invalid"})
    assert not r.up and r.reason in (base.DNS, base.TIMEOUT)


def test_bad_options_are_rejected_by_the_schema():
    from commandcenter.checks import registry

    with pytest.raises(Exception, match="http:// or https://"):
        registry.get("http").Options.model_validate({"url": "ftp://x"})
