"""The values a check writes: metric ids in the cache, with opd = the app's OPD, dim = the app id.

- app_up: 1 up, 0 down (not written while the app is in a maintenance window)
- app_maint: 1, written instead of app_up during a maintenance window
- app_latency_ms: how long the check took (the answer, not counting a failure's wait)
- app_cert_days: days until the TLS certificate expires (https only)
- app_fail: the reason code of a failed check (checks.base.REASONS, or the HTTP status)
"""

from commandcenter.config.schema.apps import APP_METRICS as METRICS

UP, MAINT, LATENCY, CERT, FAIL = METRICS
SOURCE = "apps"  # the `source` column of their samples and the run records of check cycles
