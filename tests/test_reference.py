"""The configuration reference is generated from the schema models; it must be up to date, and
`commandcenter schema` must give a JSON Schema the shipped configs satisfy."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from commandcenter.cli import main
from commandcenter.config import panels
from commandcenter.reference import json_schema, markdown
from commandcenter.sources import registry
from tests.conftest import BARRU_CONFIG, DEMO_CONFIG, ROOT

REFERENCE = ROOT / "docs" / "reference.md"


def test_reference_is_up_to_date():
    assert REFERENCE.read_text(encoding="utf-8") == markdown(), (
        "docs/reference.md is out of date: run `python -m commandcenter.reference > docs/reference.md`")


def test_reference_names_every_file_connector_and_panel_kind():
    text = REFERENCE.read_text(encoding="utf-8")
    for stem in ("city", "opds", "metrics", "sources", "wall", "scenes", "playlists", "alerts", "reports"):
        assert f"### {stem}.yaml" in text
    for name in registry.names():
        assert f"### type: {name}" in text
    for kind in panels.names():
        assert f"### type: {kind}" in text
    for key in ("`decimal`", "`period`", "`ts_field`", "`sheet`", "`header_row`", "`encoding`", "`delimiter`",
                "`window`", "`bucket`", "`top`"):
        assert key in text, key


def test_reference_rows_have_type_default_and_example():
    rows = [ln for ln in REFERENCE.read_text(encoding="utf-8").splitlines()
            if ln.startswith("| `")]
    assert len(rows) > 100
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells[1] and cells[2] and (cells[5].startswith(f"`{cells[0].strip(chr(96))}: ") or cells[5] == "(the table below)"), row


@pytest.mark.parametrize("folder", [DEMO_CONFIG, BARRU_CONFIG], ids=["binjai", "barru"])
def test_shipped_configs_satisfy_the_json_schema(folder: Path):
    yaml = YAML(typ="safe")
    for path in sorted(folder.glob("*.yaml")):
        stem = "sources" if path.stem.startswith("sources") else path.stem
        doc = json.loads(json.dumps(yaml.load(path.read_text(encoding="utf-8")), default=str))  # dates as an editor sees them
        jsonschema.validate(doc, json_schema(stem))


def test_json_schema_catches_a_bad_panel_option_and_completes_types():
    scenes = json_schema("scenes")
    bad = {"version": 1, "scenes": [{"id": "a", "title": "A", "panels": [
        {"id": "r", "type": "ranking", "cell": [0, 0, 1, 1], "options": {"top": "sembilan"}}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, scenes)
    assert scenes["$defs"]["Panel"]["properties"]["type"]["enum"] == panels.names()
    sources = json_schema("sources")
    assert sources["$defs"]["Source"]["properties"]["type"]["enum"] == registry.names()


def test_schema_command_prints_json(capsys):
    assert main(["schema", "wall"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["title"] == "commandcenter wall.yaml" and "wall" in doc["properties"]
    assert main(["schema"]) == 0
    assert "anyOf" in json.loads(capsys.readouterr().out)
    assert main(["schema", "walls"]) == 2
