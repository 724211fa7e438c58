"""apps.yaml is validated like every other file: each error names file:line:column and key."""

import pytest

from commandcenter.checks.windows import in_maintenance
from commandcenter.config import load_config
from commandcenter.config.errors import ConfigError

BROKEN = """version: 1
apps:
  - id: srikandi
    opd: setda
    name: SRIKANDI
    check: {kind: http, url: "ftp://x/"}
  - id: srikandi
    opd: dinas-hantu
    name: Kembar
    check: {kind: smtp, host: x}
  - id: simpeg
    opd: bkd
    name: SIMPEG
    intervall: 1m
    check: {kind: tcp, host: 10.0.0.5, port: 99999}
    maintenance: [{weekdays: [sun], from: "25:00", to: "03:00"}]
"""


def issues_of(config_dir):
    from commandcenter.checks.config_check import check_apps

    with pytest.raises(ConfigError) as err:
        load_config(config_dir, checks=[check_apps])  # what commandcenter.runtime hands in
    return {(i.line, i.key): i.message for i in err.value.issues}


def test_every_apps_error_with_its_line(config_copy):
    (config_copy / "apps.yaml").write_text(BROKEN, encoding="utf-8")
    got = issues_of(config_copy)
    assert got[(14, "apps[2].intervall")].startswith("unknown key 'intervall'; did you mean 'interval'")
    assert "not a time of day" in got[(16, "apps[2].maintenance[0].from")]
    with_fixed = BROKEN.replace("    intervall: 1m\n", "").replace('"25:00"', '"01:00"')
    (config_copy / "apps.yaml").write_text(with_fixed, encoding="utf-8")
    got = issues_of(config_copy)
    assert "http:// or https://" in got[(6, "apps[0].check.url")]
    assert got[(7, "apps[1].id")] == "duplicate application id 'srikandi'"
    assert got[(8, "apps[1].opd")].startswith("unknown OPD 'dinas-hantu'")
    assert got[(10, "apps[1].check.kind")] == "unknown check kind 'smtp' (known: dns, http, tcp)"
    assert "less than or equal to 65535" in got[(14, "apps[2].check.port")]


def test_maintenance_windows_in_city_time(demo_config):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Jakarta")
    simpeg = next(a for a in demo_config.extra["apps"].apps if a.id == "simpeg")  # Sunday 01:00-03:00
    assert in_maintenance(simpeg, datetime(2026, 12, 6, 1, 30, tzinfo=tz).timestamp(), "Asia/Jakarta")
    assert not in_maintenance(simpeg, datetime(2026, 12, 6, 3, 0, tzinfo=tz).timestamp(), "Asia/Jakarta")
    assert not in_maintenance(simpeg, datetime(2026, 12, 7, 1, 30, tzinfo=tz).timestamp(), "Asia/Jakarta")
    night = simpeg.model_copy(update={"maintenance": [simpeg.maintenance[0].model_copy(
        update={"from_": datetime(2026, 1, 1, 23, 0).time()})]})  # Sunday 23:00 - Monday 03:00
    assert in_maintenance(night, datetime(2026, 12, 7, 2, 0, tzinfo=tz).timestamp(), "Asia/Jakarta")
    assert not in_maintenance(night, datetime(2026, 12, 6, 2, 0, tzinfo=tz).timestamp(), "Asia/Jakarta")
