"""OPD causes: from a source field (SIPD's "keterangan", mapping `note_field`) and from an operator,
kept per OPD and period with time and author, readable as of an instant."""

from __future__ import annotations

from commandcenter.cache import Cache
from commandcenter.cli import main
from commandcenter.collector import Collector
from commandcenter.simulator.data import _CAUSES


def test_source_notes_arrive_with_the_values(sim_env, tmp_path):
    cfg = sim_env.cfg
    cache = Cache.open(f"sqlite:///{tmp_path / 'c.sqlite'}", city=cfg.city_key)
    try:
        Collector(cfg, cache).run_source("sipd-realisasi")
        notes = cache.notes()
        data = sim_env.sim.data()
        lagging = {o.code for o in data.opds if data.cause(o, data.budget(o))}
        assert lagging and {n.opd for n in notes} == lagging
        assert all(n.text in _CAUSES and n.source == "sipd-realisasi" and n.author == "sipd-realisasi" for n in notes)
        month = f"{data.day.year}-{data.day.month:02d}"
        assert {n.opd for n in notes if n.period == month} == lagging
        before = len(cache.notes())
        Collector(cfg, cache).run_source("sipd-realisasi")  # the same notes again: nothing new
        assert len(cache.notes()) == before
        assert cache.audit_log(action="note") == []  # a source's note is not an operator action
    finally:
        cache.close()


def test_operator_note_is_kept_with_time_and_author_and_audited(db_url, capsys):
    assert main(["note", "putr", "Lelang ulang paket jalan", "--period", "2026-11", "--author", "andi",
                 "--config", "config", "--db", db_url]) == 0
    assert "putr 2026-11: Lelang ulang paket jalan" in capsys.readouterr().out
    cache = Cache.open(db_url, city="1275")
    try:
        (note,) = cache.notes(opd="putr")
        assert (note.period, note.text, note.author, note.source) == ("2026-11", "Lelang ulang paket jalan", "andi", "operator")
        (entry,) = cache.audit_log(action="note")
        assert entry.actor == "andi" and entry.detail == {"opd": "putr", "period": "2026-11", "text": "Lelang ulang paket jalan"}
        cache.set_note("putr", "2026-11", "Kontrak baru ditandatangani", "budi", now=note.ts + 60)
        assert cache.note("putr", "2026-11").text == "Kontrak baru ditandatangani"
        assert cache.note("putr", "2026-11", as_of=note.ts + 1).text == "Lelang ulang paket jalan"  # a frozen briefing
        cache.set_note("putr", "2026-11", "", "budi", now=note.ts + 120)  # cleared
        assert cache.note("putr", "2026-11") is None
    finally:
        cache.close()
    assert main(["note", "nope", "x", "--config", "config", "--db", db_url]) == 2
