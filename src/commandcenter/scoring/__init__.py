"""OPD performance: KPI targets and statuses, a composite score per OPD, the ranking, alerts.

Qt-free. The pure core (`score_opds`, `assess`) takes plain data; `evaluate` reads the cache.
"""

from commandcenter.scoring.alerts import AlertsOutcome, evaluate_alerts
from commandcenter.scoring.core import KpiResult, OpdScore, Point, Scoreboard, assess, score_opds
from commandcenter.scoring.evaluate import evaluate, kpi_status
from commandcenter.scoring.periods import Period
from commandcenter.scoring.status import STATUSES, classify, judge

__all__ = [
    "STATUSES", "AlertsOutcome", "KpiResult", "OpdScore", "Period", "Point", "Scoreboard", "assess", "classify",
    "evaluate", "evaluate_alerts", "judge", "kpi_status", "score_opds",
]
