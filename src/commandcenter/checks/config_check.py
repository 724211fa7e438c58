"""Config check that needs the check kinds: each application's `check:` keys validated by the
module of its kind. The config package sits below this one; `commandcenter.runtime` hands this
check to `load_config` (like the connectors' options, see commandcenter.sources.checks)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from commandcenter.checks import registry
from commandcenter.config.errors import ConfigIssue, did_you_mean
from commandcenter.config.keys import explain
from commandcenter.config.model import CityConfig


def check_apps(cfg: CityConfig, models: dict[str, Any]) -> list[ConfigIssue]:
    if "apps" not in models:
        return []
    doc, parsed = models["apps"][0]
    issues: list[ConfigIssue] = []
    known = registry.names()
    for i, app in enumerate(parsed.apps):
        loc = ("apps", i, "check")
        if app.check.kind not in known:
            issues.append(doc.issue(loc + ("kind",), f"unknown check kind {app.check.kind!r}"
                                    f"{did_you_mean(app.check.kind, known)} (known: {', '.join(known)})"))
            continue
        try:
            registry.get(app.check.kind).Options.model_validate(app.check.model_extra or {})
        except ValidationError as exc:
            issues += [doc.issue(loc + tuple(e["loc"]), explain(e)) for e in exc.errors(include_url=False)]
    return issues
