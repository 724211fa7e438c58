"""DNS check: does a name resolve (to the expected addresses) within the deadline.

The system resolver cannot be interrupted, so it runs on a helper thread that the check stops
waiting for at the deadline."""

from __future__ import annotations

import socket
import threading

from pydantic import Field

from commandcenter.checks import base
from commandcenter.checks.base import CheckResult, Deadline
from commandcenter.checks.registry import register


class DnsOptions(base.Options):
    name: str = Field(min_length=1, max_length=253)
    expect: list[str] = Field(default_factory=list, description="addresses that must be among the answers")


@register
class DnsCheck:
    kind = "dns"
    Options = DnsOptions

    def run(self, opts: DnsOptions, deadline: Deadline, ctx: base.CheckContext) -> CheckResult:
        box: dict[str, object] = {}

        def resolve() -> None:
            try:
                box["addrs"] = sorted({ai[4][0] for ai in socket.getaddrinfo(opts.name, None)})
            except OSError as exc:
                box["error"] = exc

        worker = threading.Thread(target=resolve, daemon=True, name=f"dns-{opts.name[:20]}")
        worker.start()
        worker.join(deadline.remaining())
        ms = deadline.elapsed_ms()
        if worker.is_alive():
            return CheckResult.fail(base.TIMEOUT, f"{opts.name}: no answer within {deadline.seconds:g} s", ms)
        if "error" in box:
            err = box["error"]
            return CheckResult.fail(base.DNS, f"{opts.name}: {getattr(err, 'strerror', None) or err}", ms)
        addrs = list(box["addrs"])  # type: ignore[call-overload]
        missing = [a for a in opts.expect if a not in addrs]
        if missing:
            return CheckResult.fail(base.DNS, f"{opts.name} -> {', '.join(addrs)[:120]}; missing {', '.join(missing)}", ms)
        return CheckResult(True, ms, base.OK, f"{opts.name} -> {', '.join(addrs)[:120]}")
