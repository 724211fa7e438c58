"""opd: one OPD's standing (rank of N, change, KPIs behind target, rupiah unspent, its cause/note)."""

from commandcenter.config.panels.base import PanelKind

KIND = PanelKind(
    name="opd",
    description="An OPD's place in the score ranking with its change, its KPIs behind target, the budget "
                "still unspent (pagu_anggaran - realisasi_belanja) and its note for the period; give `opd:`. "
                "Put it on the OPD's detail scene (what its spotlight shows).",
    example={"id": "posisi", "type": "opd", "cell": [0, 0, 12, 6], "opd": "putr"},
)
