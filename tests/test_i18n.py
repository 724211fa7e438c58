"""One translation catalog (gettext, Babel) for the wall, the console, alerts and exports."""

from __future__ import annotations

import gettext
from pathlib import Path

from babel.messages.pofile import read_po

from commandcenter import i18n

SRC = Path(__file__).resolve().parents[1] / "src" / "commandcenter"


def _po():
    with i18n.po_path("en").open("rb") as f:
        return read_po(f, locale="en")


def test_the_compiled_catalog_matches_the_po():
    po = {m.id: m.string for m in _po() if m.id}
    with i18n.po_path("en").with_suffix(".mo").open("rb") as f:
        mo = gettext.GNUTranslations(f)
    assert {k: mo.gettext(k) for k in po} == po, "run: python -m commandcenter.i18n compile"


def test_every_text_in_the_code_has_an_english_entry():
    po = {m.id: m.string for m in _po() if m.id}
    untranslated = [t for t in i18n.extract() if not po.get(t)]
    assert untranslated == [], "run: python -m commandcenter.i18n extract, then translate the .po"


def test_no_hand_made_translation_tables_remain():
    tables = [p.relative_to(SRC) for p in SRC.rglob("*.py") if "\nEN = {" in p.read_text(encoding="utf-8")]
    assert tables == []


def test_wall_console_and_core_share_the_catalog(qapp):
    from commandcenter.ui import i18n as wall_i18n
    from commandcenter.ui.console import i18n as console_i18n

    assert i18n.tr("Data per", "en") == "Data as of" and i18n.tr("Data per", "id") == "Data per"
    assert console_i18n.tr("Sukses terakhir", "en") == "Last success"
    wall_i18n.install("en")
    try:
        assert wall_i18n.tr("Sukses terakhir") == "Last success" and wall_i18n.tr("Capaian") == "Achievement"
    finally:
        wall_i18n.install("id")
    assert wall_i18n.tr("Capaian") == "Capaian"


def test_alert_texts_follow_the_city_language(tmp_path):
    from commandcenter.config import load_config
    from commandcenter.scoring.alerts import source_conditions
    from tests.scoring.conftest import write_city

    cfg_dir = write_city(tmp_path / "config")
    city = cfg_dir / "city.yaml"
    city.write_text(city.read_text(encoding="utf-8").replace("language: id", "language: en"), encoding="utf-8")
    cfg = load_config(cfg_dir)
    assert cfg.city.language == "en"
    rule = next(r for r in cfg.extra["alerts"].rules if r.kind == "source")
    health = type("H", (), {"source": "simda", "state": "failing"})()
    (cond,) = source_conditions(cfg, rule, [health])
    assert cond.message.startswith("Source ") and cond.message.endswith(": source down")
