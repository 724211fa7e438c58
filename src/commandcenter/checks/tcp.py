"""TCP check: can a connection to host:port be opened within the deadline (a database, SSH...)."""

from __future__ import annotations

import socket

from pydantic import Field

from commandcenter.checks import base
from commandcenter.checks.base import CheckResult, Deadline
from commandcenter.checks.registry import register


class TcpOptions(base.Options):
    host: str = Field(min_length=1)
    port: int = Field(ge=1, le=65535)


@register
class TcpCheck:
    kind = "tcp"
    Options = TcpOptions

    def run(self, opts: TcpOptions, deadline: Deadline, ctx: base.CheckContext) -> CheckResult:
        try:
            sock = socket.create_connection((opts.host, opts.port), timeout=deadline.remaining())
        except socket.gaierror as exc:
            return CheckResult.fail(base.DNS, f"{opts.host}: {exc.strerror}", deadline.elapsed_ms())
        except TimeoutError:
            return CheckResult.fail(base.TIMEOUT, f"no connection within {deadline.seconds:g} s", deadline.elapsed_ms())
        except OSError as exc:
            return CheckResult.fail(base.CONNECT, f"{opts.host}:{opts.port}: {exc.strerror or exc}", deadline.elapsed_ms())
        sock.close()
        return CheckResult(True, deadline.elapsed_ms(), base.OK, f"{opts.host}:{opts.port} open")
