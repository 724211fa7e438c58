"""`${ENV_NAME}` references: kept as references in config, resolved only at use."""

from __future__ import annotations

import os
import re

from commandcenter.config.errors import SecretMissing

_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def references(text: str) -> list[str]:
    return _REF.findall(text or "")


def missing(text: str, environ: dict[str, str] | None = None) -> list[str]:
    env = os.environ if environ is None else environ
    return [name for name in references(text) if name not in env]


def empty(text: str, environ: dict[str, str] | None = None) -> list[str]:
    """Referenced variables that are set but blank: a token that would be sent as nothing."""
    env = os.environ if environ is None else environ
    return [name for name in references(text) if name in env and not env[name].strip()]


def resolve(text: str, environ: dict[str, str] | None = None) -> str:
    """Substitute every `${NAME}`; raise SecretMissing naming the first unset variable."""
    env = os.environ if environ is None else environ

    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in env:
            raise SecretMissing(m.group(1))
        return env[m.group(1)]

    return _REF.sub(sub, text or "")


def redact(text: str, environ: dict[str, str] | None = None, names: list[str] | None = None) -> str:
    """Blank out resolved secret values from a message before it is logged or stored."""
    env = os.environ if environ is None else environ
    from urllib.parse import quote, quote_plus

    for name in names or []:
        value = env.get(name)
        if value and len(value) >= 3:
            # also the forms an HTTP or DB library may quote it in: URL-encoded, repr-escaped
            for form in {value, quote(value, safe=""), quote_plus(value), repr(value)[1:-1]}:
                text = text.replace(form, "***")
    return text
