"""Application availability checks (apps.yaml): one module per check kind, a registry by kind
name, the deadline guard they share, and the Qt-free read models over their results.

Results live in the cache as values of each application (metric, opd = the app's OPD, dim = the
app id), so history, rollups, `as_of` reads, replay and retention apply to them as to any KPI.
"""
