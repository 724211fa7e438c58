"""`commandcenter validate`: clean configs exit 0; each broken config exits 2 naming file:line and key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from commandcenter.cli import main
from tests.conftest import BARRU_CONFIG, DEMO_CONFIG


def validate(path: Path, capsys) -> tuple[int, str]:
    code = main(["validate", str(path)])
    return code, capsys.readouterr().out


def test_demo_city_validates(capsys):
    code, out = validate(DEMO_CONFIG, capsys)
    assert code == 0, out
    assert "Kota Binjai" in out


def test_barru_example_validates(capsys):
    code, out = validate(BARRU_CONFIG, capsys)
    assert code == 0, out
    assert "Barru" in out


def append(path: Path, text: str) -> int:
    """Append text; return the 1-based line number of its first line."""
    before = path.read_text(encoding="utf-8")
    if not before.endswith("\n"):
        before += "\n"
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def replace(path: Path, old: str, new: str) -> int:
    """Replace the first occurrence; return the 1-based line number where it stood."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def n_items(path: Path, key: str) -> int:
    from ruamel.yaml import YAML

    return len(YAML(typ="safe").load(path.read_text(encoding="utf-8"))[key])


NEW_SOURCE = """  - id: {id}
    type: http_json
    opd: bpkad
    schedule: {{every: {every}}}
    metrics: [serapan_keuangan]
    options:
      url: http://127.0.0.1:9/x
      headers: {{Authorization: "Bearer ${{{secret}}}"}}
"""


def case_yaml_syntax(cfg: Path):
    line = append(cfg / "opds.yaml", "  - {code: rusak, short: X, name: Tanpa kurung tutup\n")
    return "opds.yaml", line, "", "YAML syntax error"


def case_unknown_key(cfg: Path):
    line = replace(cfg / "city.yaml", "  timezone: Asia/Jakarta", "  timezon: Asia/Jakarta")
    return "city.yaml", line, "city.timezon", "unknown key 'timezon'; did you mean 'timezone'?"


def case_unknown_metric_in_panel(cfg: Path):
    line = replace(cfg / "scenes.yaml", "metric: serapan_keuangan, title: Serapan Anggaran",
                   "metric: serapan_keuangn, title: Serapan Anggaran")
    return "scenes.yaml", line, "scenes[0].panels[0].metric", "unknown metric 'serapan_keuangn'; did you mean 'serapan_keuangan'?"


def case_overlapping_panels(cfg: Path):
    line = replace(cfg / "scenes.yaml", "{id: fisik, type: kpi, cell: [4, 0, 4, 3]", "{id: fisik, type: kpi, cell: [3, 0, 4, 3]")
    return "scenes.yaml", line, "scenes[0].panels[1].cell", "overlaps panel 'serapan'"


def case_negative_interval(cfg: Path):
    index = n_items(cfg / "sources.yaml", "sources")
    line = append(cfg / "sources.yaml", NEW_SOURCE.format(id="negatif", every="-5m", secret="HOME"))
    return "sources.yaml", line + 3, f"sources[{index}].schedule.every", "must be a positive duration"


def case_missing_secret(cfg: Path):
    index = n_items(cfg / "sources.yaml", "sources")
    line = append(cfg / "sources.yaml", NEW_SOURCE.format(id="rahasia", every="5m", secret="CC_TEST_UNSET_TOKEN"))
    return ("sources.yaml", line + 7, f"sources[{index}].options.headers.Authorization",
            "environment variable CC_TEST_UNSET_TOKEN is not set")


def case_duplicate_opd(cfg: Path):
    index = n_items(cfg / "opds.yaml", "opds")
    line = append(cfg / "opds.yaml", "  - {code: bpkad, short: BPKAD2, name: Duplikat}\n")
    return "opds.yaml", line, f"opds[{index}].code", "duplicate OPD code 'bpkad'"


def case_panel_outside_wall(cfg: Path):
    line = replace(cfg / "scenes.yaml", "{id: sumber, type: health, cell: [18, 9, 6, 3]", "{id: sumber, type: health, cell: [18, 9, 8, 3]")
    return "scenes.yaml", line, "scenes[0].panels[11].cell", "lies outside the wall's 24x12 layout grid"


def case_playlist_unknown_scene(cfg: Path):
    line = replace(cfg / "playlists.yaml", "{scene: anggaran, dwell: 45s}", "{scene: anggarn, dwell: 45s}")
    return "playlists.yaml", line, "playlists[0].items[1].scene", "unknown scene 'anggarn'; did you mean 'anggaran'?"


def case_wrong_type(cfg: Path):
    line = replace(cfg / "wall.yaml", "  columns: 2", "  columns: dua")
    return "wall.yaml", line, "wall.columns", "valid integer"


def case_unknown_source_type(cfg: Path):
    index = n_items(cfg / "sources.yaml", "sources")
    line = append(cfg / "sources.yaml", NEW_SOURCE.format(id="jenis", every="5m", secret="HOME").replace("http_json", "http_jsn"))
    return "sources.yaml", line + 1, f"sources[{index}].type", "unknown source type 'http_jsn'; did you mean 'http_json'?"


def case_bad_timezone(cfg: Path):
    line = replace(cfg / "city.yaml", "  timezone: Asia/Jakarta", "  timezone: Asia/Binjai")
    return "city.yaml", line, "city.timezone", "unknown time zone 'Asia/Binjai'"


def case_unknown_opd_in_panel(cfg: Path):
    line = replace(cfg / "scenes.yaml", "metric: bor, opd: rsud, title: BOR RSUD Djoelham", "metric: bor, opd: rsud-x, title: BOR RSUD Djoelham")
    return "scenes.yaml", line, "scenes[0].panels[8].opd", "unknown OPD 'rsud-x'; did you mean 'rsud'?"


def case_report_unknown_scene(cfg: Path):
    line = replace(cfg / "reports.yaml", "scenes: [ringkasan, anggaran, layanan]", "scenes: [ringkasan, anggaran, layanann]")
    return "reports.yaml", line, "reports[0].scenes[2]", "unknown scene 'layanann'; did you mean 'layanan'?"


CASES = [case_yaml_syntax, case_unknown_key, case_unknown_metric_in_panel, case_overlapping_panels,
         case_negative_interval, case_missing_secret, case_duplicate_opd, case_panel_outside_wall,
         case_playlist_unknown_scene, case_wrong_type, case_unknown_source_type, case_bad_timezone,
         case_unknown_opd_in_panel, case_report_unknown_scene]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__.removeprefix("case_") for c in CASES])
def test_broken_config_names_file_line_and_key(case, config_copy, capsys, monkeypatch):
    monkeypatch.delenv("CC_TEST_UNSET_TOKEN", raising=False)
    file, line, key, message = case(config_copy)
    code, out = validate(config_copy, capsys)
    assert code == 2, out
    expected_prefix = f"{config_copy / file}:{line}:"
    matching = [ln for ln in out.splitlines() if ln.startswith(expected_prefix) and message in ln]
    assert matching, f"no line starting {expected_prefix!r} with {message!r} in:\n{out}"
    if key:
        assert f": {key}: " in matching[0], matching[0]


def test_every_error_is_reported_together(config_copy, capsys):
    case_unknown_key(config_copy)
    case_playlist_unknown_scene(config_copy)
    case_wrong_type(config_copy)
    code, out = validate(config_copy, capsys)
    assert code == 2
    # schema errors in three files, all in one report
    assert "city.yaml" in out and "wall.yaml" in out
    assert "problem(s)" in out


def test_missing_secret_never_prints_a_value(config_copy, capsys, monkeypatch):
    monkeypatch.setenv("CC_TEST_SET_TOKEN", "s3cr3t-value")
    append(config_copy / "sources.yaml", NEW_SOURCE.format(id="ada", every="5m", secret="CC_TEST_SET_TOKEN"))
    case_overlapping_panels(config_copy)
    code, out = validate(config_copy, capsys)
    assert code == 2
    assert "s3cr3t-value" not in out
    assert "CC_TEST_SET_TOKEN" not in out  # set, so not an error


def test_missing_required_file(config_copy, capsys):
    (config_copy / "wall.yaml").unlink()
    code, out = validate(config_copy, capsys)
    assert code == 2
    assert "wall.yaml: (file): required file is missing" in out


def test_validate_subprocess_prints_no_traceback(config_copy):
    case_yaml_syntax(config_copy)
    proc = subprocess.run([sys.executable, "-m", "commandcenter", "validate", str(config_copy)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "opds.yaml:" in proc.stdout


def test_wall_side_commands_do_not_need_collector_secrets(config_copy, monkeypatch, tmp_path, capsys):
    """A wall PC need not hold department tokens: only validate/collect check `${ENV}` secrets."""
    monkeypatch.delenv("CC_TEST_UNSET_TOKEN", raising=False)
    append(config_copy / "sources.yaml", NEW_SOURCE.format(id="rahasia", every="5m", secret="CC_TEST_UNSET_TOKEN")
           + "      samples: [{records: data, opd: bpkad, values: {serapan_keuangan: persen}}]\n")
    assert main(["status", "--config", str(config_copy), "--db", f"sqlite:///{tmp_path / 'c.sqlite'}", "--json"]) == 0
    assert main(["validate", str(config_copy)]) == 2
    assert "CC_TEST_UNSET_TOKEN is not set" in capsys.readouterr().out


def test_unreachable_cache_is_one_line_not_a_traceback(capsys):
    code = main(["status", "--config", str(DEMO_CONFIG), "--db", "postgresql+psycopg://cc:pw-not-shown@127.0.0.1:1/db"])
    err = capsys.readouterr().err
    assert code == 1
    assert "cannot open the cache postgresql+psycopg://cc:***@127.0.0.1:1/db" in err
    assert "Traceback" not in err and "pw-not-shown" not in err
