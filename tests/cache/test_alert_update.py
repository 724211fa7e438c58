"""An open alert states its condition as it is now: evaluated again with a new value, its message
and value follow (the ticker never shows yesterday's number), its fire time and acknowledgement
stay, and walls hear of it only when the words changed. Real SQLite file."""

from __future__ import annotations


def test_an_open_alert_takes_the_new_message_and_keeps_its_state(cache):
    first = cache.fire_alert("serapan|bpkad", "serapan-rendah", "warning", "Serapan BPKAD 78,30% < 90%",
                             metric="serapan", opd="bpkad", value=78.3, now=100.0)
    assert cache.ack_alert(first.id, by="operator", now=110.0)
    v0 = cache.data_version()
    again = cache.fire_alert("serapan|bpkad", "serapan-rendah", "warning", "Serapan BPKAD 79,10% < 90%",
                             metric="serapan", opd="bpkad", value=79.1, now=200.0)
    assert again.id == first.id
    assert (again.message, again.value) == ("Serapan BPKAD 79,10% < 90%", 79.1)
    assert (again.state, again.fired_at, again.acked_by) == ("acknowledged", 100.0, "operator")
    assert cache.changes_since(v0).alerts  # the wall's ticker re-reads
    (shown,) = cache.alerts(("firing", "acknowledged"))
    assert shown.message == "Serapan BPKAD 79,10% < 90%"


def test_the_same_condition_again_changes_nothing(cache):
    cache.fire_alert("k", "r", "warning", "Sumber SIPD: gagal", source="sipd", now=100.0)
    v0 = cache.data_version()
    cache.fire_alert("k", "r", "warning", "Sumber SIPD: gagal", source="sipd", now=200.0)
    assert not cache.changes_since(v0)
    assert len(cache.alerts(("firing", "acknowledged"))) == 1
