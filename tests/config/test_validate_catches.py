"""`validate` catches what would fail later: each broken config exits 2 with file:line, key and a
message; schedules are read by the scheduler's own triggers, one crontab weekday reading everywhere."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from commandcenter.config.schedule import crontab_weekdays
from commandcenter.config.schema.reports import parse_cron
from tests.config.test_validate import NEW_SOURCE, append, n_items, replace, validate

WIB = ZoneInfo("Asia/Jakarta")


def case_cron_minute_61(cfg: Path):
    line = replace(cfg / "sources.yaml", 'schedule: {cron: "30 6 * * *", jitter: 1m}', 'schedule: {cron: "61 6 * * *", jitter: 1m}')
    return "sources.yaml", line, ".schedule", "cron '61 6 * * *'"


def case_cron_weekday_name_in_indonesian(cfg: Path):
    line = replace(cfg / "sources.yaml", 'schedule: {cron: "30 6 * * *", jitter: 1m}', 'schedule: {cron: "30 6 * * senin", jitter: 1m}')
    return "sources.yaml", line, ".schedule", "weekday 'senin'"


def case_interval_overflow(cfg: Path):
    index = n_items(cfg / "sources.yaml", "sources")
    line = append(cfg / "sources.yaml", NEW_SOURCE.format(id="lama", every="99999999999999999999d", secret="HOME"))
    return "sources.yaml", line + 3, f"sources[{index}].schedule", "longer than the 366-day limit"


def case_report_cron_never_fires(cfg: Path):
    line = replace(cfg / "reports.yaml", 'cron: "0 7 * * *"', 'cron: "0 7 31 2 *"')
    return "reports.yaml", line, "reports[0].cron", "never fires"


def case_empty_env(cfg: Path):
    index = n_items(cfg / "sources.yaml", "sources")
    line = append(cfg / "sources.yaml", NEW_SOURCE.format(id="kosong", every="5m", secret="CC_TEST_EMPTY_TOKEN"))
    return ("sources.yaml", line + 7, f"sources[{index}].options.headers.Authorization",
            "environment variable CC_TEST_EMPTY_TOKEN is set but empty")


def case_mapping_metric_not_listed(cfg: Path):
    line = replace(cfg / "sources.yaml", "deviasi_fisik_keuangan: deviasi}\n        - records: ringkasan_bulanan",
                   "deviasi_fisik_keuangn: deviasi}\n        - records: ringkasan_bulanan")
    return ("sources.yaml", line, "sources[0].options.samples[0].values.deviasi_fisik_keuangn",
            "metric 'deviasi_fisik_keuangn' is not listed in this source's metrics")


def case_screen_mapping_length(cfg: Path):
    line = replace(cfg / "wall.yaml", "  screen_mapping: order ", "  screen_mapping: [DP-1, DP-2, DP-3] ")
    return "wall.yaml", line, "wall.screen_mapping", "screen_mapping names 3 screens but the wall has 4 monitors (2x2)"


def case_missing_ca_bundle(cfg: Path):
    line = replace(cfg / "sources.yaml", "      url: http://127.0.0.1:8765/sipd/realisasi\n",
                   "      url: http://127.0.0.1:8765/sipd/realisasi\n      ca_bundle: certs/bpkad-ca.pem\n")
    return "sources.yaml", line + 1, "sources[0].options.ca_bundle", "CA bundle file"


def case_unknown_key_lists_allowed(cfg: Path):
    line = replace(cfg / "city.yaml", "  timezone: Asia/Jakarta", "  timezon: Asia/Jakarta")
    return "city.yaml", line, "city.timezon", "did you mean 'timezone'? (allowed here: "


def case_key_from_another_file(cfg: Path):
    line = replace(cfg / "city.yaml", "  timezone: Asia/Jakarta", "  timezone: Asia/Jakarta\n  default: kerja")
    return "city.yaml", line + 1, "city.default", "unknown key 'default' here; it belongs at playlists.yaml: default"


def case_mapping_key_beside_type(cfg: Path):
    line = replace(cfg / "sources.yaml", "    schedule: {every: 15m, jitter: 20s}", "    schedule: {every: 15m, jitter: 20s}\n    decimal: ','")
    return ("sources.yaml", line + 1, "sources[0].decimal",
            "it belongs at sources.yaml: sources[].options.samples[].decimal")


def case_files_option_under_ckan(cfg: Path):
    line = replace(cfg / "sources.yaml", "      limit: 25\n", "      limit: 25\n      sheet: Rekap\n")
    return ("sources.yaml", line + 1, ".options.sheet",
            "unknown key 'sheet' here; it belongs at sources.yaml: sources[].options.sheet (type files)")


def case_records_under_ckan(cfg: Path):
    # CKAN reads `records` as a filter over the resource's rows: a broken expression is caught now
    line = replace(cfg / "sources.yaml", "        - opd_field: kecamatan\n", "        - records: \"[?tahun ==\"\n          opd_field: kecamatan\n")
    return "sources.yaml", line, ".options.samples[0].records", "invalid jmespath"


def case_panel_option_wrong_type(cfg: Path):
    line = replace(cfg / "scenes.yaml", "options: {score: true, top: 6, bottom: 6}",
                   "options: {score: true, top: sembilan, bottom: 6}")
    return "scenes.yaml", line, "scenes[0].panels[4].options.top", "valid integer, unable to parse string as an integer (got 'sembilan')"


def case_panel_option_unknown(cfg: Path):
    line = replace(cfg / "scenes.yaml", "options: {top: 8}", "options: {tpo: 8}")
    return "scenes.yaml", line, "scenes[0].panels[9].options.tpo", "did you mean 'top'?"


def case_panel_option_bad_choice(cfg: Path):
    line = replace(cfg / "scenes.yaml", "options: {top: 6, order: desc}", "options: {top: 6, order: naik}")
    return "scenes.yaml", line, "scenes[1].panels[5].options.order", "must be one of 'desc' or 'asc'"


def case_map_file_missing(cfg: Path):
    line = replace(cfg / "scenes.yaml", "title_en: Health centre visits by district}",
                   "title_en: Health centre visits by district, options: {geojson: maps/batubara.geojson}}")
    return "scenes.yaml", line, "scenes[0].panels[6].options.geojson", "no bundled map 'maps/batubara.geojson'"


CASES = [case_cron_minute_61, case_cron_weekday_name_in_indonesian, case_interval_overflow,
         case_report_cron_never_fires, case_empty_env, case_mapping_metric_not_listed, case_screen_mapping_length,
         case_missing_ca_bundle, case_unknown_key_lists_allowed, case_key_from_another_file,
         case_mapping_key_beside_type, case_files_option_under_ckan, case_records_under_ckan,
         case_panel_option_wrong_type,
         case_panel_option_unknown, case_panel_option_bad_choice, case_map_file_missing]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__.removeprefix("case_") for c in CASES])
def test_validate_catches_what_fails_later(case, config_copy, capsys, monkeypatch):
    monkeypatch.setenv("CC_TEST_EMPTY_TOKEN", "")
    file, line, key, message = case(config_copy)
    code, out = validate(config_copy, capsys)
    assert code == 2, out
    prefix = f"{config_copy / file}:{line}:"
    matching = [ln for ln in out.splitlines() if ln.startswith(prefix) and message in ln]
    assert matching, f"no line starting {prefix!r} with {message!r} in:\n{out}"
    assert key in matching[0], matching[0]
    assert "did you mean 'default'" not in out


def test_no_suggestion_names_the_key_itself(config_copy, capsys):
    """'default' where it does not belong was answered "did you mean 'default'?"."""
    case_key_from_another_file(config_copy)
    _, out = validate(config_copy, capsys)
    line = next(ln for ln in out.splitlines() if "city.default" in ln)
    assert "did you mean" not in line


def test_an_invented_key_gets_no_nonsense_suggestion(config_copy, capsys):
    replace(config_copy / "sources.yaml", "          ts_field: tanggal\n", "          ts_field: tanggal\n          tanggal_berkas: x\n")
    _, out = validate(config_copy, capsys)
    line = next(ln for ln in out.splitlines() if "tanggal_berkas" in ln)
    assert "did you mean" not in line and "(allowed here: " in line and "ts_field" in line


@pytest.mark.parametrize("field, days", [
    ("1-5", "mon,tue,wed,thu,fri"), ("0", "sun"), ("7", "sun"), ("5-7", "sun,fri,sat"),
    ("*/2", "sun,tue,thu,sat"), ("mon,wed", "mon,wed"), ("*", "*"), ("sat-sun", "sun,sat"), ("5-1", None),
])
def test_crontab_weekdays(field, days):
    if days is None:
        with pytest.raises(ValueError, match="runs backwards"):
            crontab_weekdays(field)
    else:
        assert crontab_weekdays(field) == days


def test_reports_and_sources_read_weekdays_alike():
    """'0 7 * * 1-5' fires on Monday and never on Saturday, for a report as for a source."""
    from commandcenter.collector.timing import cron_trigger

    saturday = datetime(2026, 6, 27, 8, 0, tzinfo=WIB)
    for trig in (parse_cron("0 7 * * 1-5", "Asia/Jakarta"), cron_trigger("0 7 * * 1-5", WIB)):
        nxt = trig.get_next_fire_time(None, saturday)
        assert nxt == datetime(2026, 6, 29, 7, 0, tzinfo=WIB)
        assert nxt.strftime("%A") == "Monday"

