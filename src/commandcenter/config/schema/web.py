"""Typed options of a `web` panel (scenes.yaml `options:` of a panel with `type: web`).

    - id: lapor-dasbor
      type: web
      cell: [12, 0, 12, 6]
      title: Dasbor LAPOR!
      options:
        url: https://lapor.binjaikota.go.id/dasbor
        allowed_hosts: [lapor.binjaikota.go.id, cdn.binjaikota.go.id]
        reload: 5m
        header: {name: Authorization, value: "Bearer ${LAPOR_TOKEN}"}

Validated by the config cross-check (config/checks.py) with the panel's own file:line:col, the
same way a connector's options are. Secrets only as `${ENV}` references, resolved at use.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from commandcenter.config.schema.common import Duration, Strict


class Secret(Strict):
    """A header or cookie sent with the page's requests (to its allowed hosts only)."""

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_\-.]+$")
    value: str = Field(description="written as a ${ENV} reference (e.g. 'Bearer ${LAPOR_TOKEN}')")

    @field_validator("value")
    @classmethod
    def _env_only(cls, value: str) -> str:
        from commandcenter.config import secrets

        if not secrets.references(value):
            raise ValueError("write the secret as an environment reference, e.g. 'Bearer ${LAPOR_TOKEN}'")
        return value


class WebOptions(Strict):
    url: str = Field(description="the page shown (http or https)")
    allowed_hosts: list[str] = Field(default_factory=list,
                                     description="hosts the page may navigate to and load from; default: the url's host")
    reload: Duration = Field(300.0, description="reload the page this often")
    timeout: Duration = Field(30.0, description="a load taking longer counts as failed")
    page_width: int = Field(1280, ge=320, le=7680, description="CSS pixels the page is laid out at, then scaled to the panel")
    header: Secret | None = None
    cookie: Secret | None = None
    keep_login: bool = Field(False, description="a persistent profile of its own (cookies kept) instead of the wall's "
                                                "shared off-the-record one")
    snapshot_every: Duration = Field(300.0, description="keep an image of the page this often (freeze, replay, export)")
    snapshot_retention: Duration = Field(30 * 86400.0, description="delete snapshots older than this")
    expect_text: str | None = Field(None, description="a page without this text counts as an error page")

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value

    @field_validator("allowed_hosts")
    @classmethod
    def _hosts(cls, value: list[str]) -> list[str]:
        for host in value:
            if not host or "/" in host or ":" in host.strip("[]") and not host.startswith("["):
                raise ValueError(f"{host!r} is not a host name (no scheme, port or path)")
        return [h.lower() for h in value]

    @model_validator(mode="after")
    def _url_allowed(self) -> WebOptions:
        if self.allowed_hosts and self.host not in self.allowed_hosts:
            raise ValueError(f"the url's host {self.host!r} is not in allowed_hosts")
        return self

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    @property
    def hosts(self) -> list[str]:
        return list(self.allowed_hosts) or [self.host]

    def allows(self, url: str) -> bool:
        """A URL the panel may show: http(s) on one of the allowed hosts (exact match)."""
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and (parts.hostname or "").lower() in self.hosts


def cross_check_web(models: dict, check_secrets: bool = True, environ: dict[str, str] | None = None) -> list:
    """Each web panel's options against WebOptions, and its ${ENV} references, with file:line:col."""
    from pydantic import ValidationError

    from commandcenter.config import secrets

    doc, parsed = models["scenes"][0]
    issues = []
    for i, scene in enumerate(parsed.scenes):
        for j, panel in enumerate(scene.panels):
            if panel.type != "web":
                continue
            loc = ("scenes", i, "panels", j, "options")
            try:
                opts = WebOptions.model_validate(panel.options)
            except ValidationError:
                continue  # the panel registry's typed options already reported it, with file:line
            for key in ("header", "cookie"):
                secret = getattr(opts, key)
                if secret is not None and check_secrets:
                    issues += [doc.issue(loc + (key, "value"), f"environment variable {name} is not set "
                                         f"(referenced as ${{{name}}})") for name in secrets.missing(secret.value, environ)]
    return issues


def web_options(panel) -> WebOptions:
    """The panel's options as WebOptions (validated at load already; parsing again is cheap)."""
    return WebOptions.model_validate(panel.options)
