"""`web` panel options in scenes.yaml: typed, errors name file:line:col and key, secrets by ${ENV}."""

from __future__ import annotations

import pytest

from commandcenter.config.schema.web import WebOptions
from tests.config.test_validate import append, validate

SCENE = """  - id: web-{n}
    title: Uji
    panels:
      - id: halaman
        type: web
        cell: [0, 0, 12, 6]
        options:
{options}"""


@pytest.mark.parametrize("options, key, message", [
    ("          urll: http://127.0.0.1/", "options.urll", "unknown key 'urll'"),
    ("          url: ftp://127.0.0.1/x", "options.url", "is not an http(s) URL"),
    ("          url: http://a.example/\n          allowed_hosts: [b.example]", "options",
     "host 'a.example' is not in allowed_hosts"),
    ("          url: http://a.example/\n          reload: -5m", "options.reload", "positive duration"),
    ("          url: http://a.example/\n          header: {name: Authorization, value: Bearer abc}",
     "options.header.value", "environment reference"),
    ("          url: http://a.example/\n          cookie: {name: sid, value: '${CC_TEST_UNSET_TOKEN}'}",
     "options.cookie.value", "environment variable CC_TEST_UNSET_TOKEN is not set"),
])
def test_broken_web_options_name_file_line_and_key(config_copy, capsys, monkeypatch, options, key, message):
    monkeypatch.delenv("CC_TEST_UNSET_TOKEN", raising=False)
    line = append(config_copy / "scenes.yaml", SCENE.format(n=1, options=options))
    code, out = validate(config_copy, capsys)
    assert code == 2, out
    hits = [ln for ln in out.splitlines() if "scenes.yaml:" in ln and message in ln]
    assert hits, out
    where, found_key = hits[0].split(": ")[0], hits[0].split(": ")[1]
    assert int(where.split(":")[-2]) >= line + 6  # inside the appended panel's options
    assert found_key.endswith(key)


def test_defaults_and_host_rule():
    o = WebOptions.model_validate({"url": "https://Lapor.Example/dasbor", "reload": "10m"})
    assert o.hosts == ["lapor.example"] and o.reload == 600 and not o.keep_login
    assert o.snapshot_every == 300 and o.snapshot_retention == 30 * 86400
    assert o.allows("https://lapor.example/other?x=1")
    assert not o.allows("https://evil.example/") and not o.allows("file:///etc/passwd")
    assert not o.allows("https://lapor.example.evil.example/")
