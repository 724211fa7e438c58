"""Shared field types for the config schema."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

_DURATION = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d|w)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1, None: 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(value: Any) -> float:
    """`30s`, `5m`, `1h`, `1d`, `2w` or a number of seconds -> seconds (float)."""
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 30s, 5m, 1h or 1d")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        m = _DURATION.match(value)
        if m:
            return float(m.group(1)) * _UNIT_SECONDS[m.group(2)]
    raise ValueError(f"{value!r} is not a duration (use e.g. 30s, 5m, 1h, 1d)")


def _positive(seconds: float) -> float:
    if seconds <= 0:
        raise ValueError("must be a positive duration")
    return seconds


def _non_negative(seconds: float) -> float:
    if seconds < 0:
        raise ValueError("must not be negative")
    return seconds


# as written in YAML: a number of seconds or a string such as 30s, 5m, 1h, 1d, 2w
_DURATION_SCHEMA = WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "pattern": _DURATION.pattern}],
                                   "description": "a duration: 30s, 5m, 1h, 1d, 2w or a number of seconds"})

Duration = Annotated[float, BeforeValidator(parse_duration), AfterValidator(_positive), _DURATION_SCHEMA]
"""A positive duration in seconds, written `30s`, `5m`, `1h`, `1d` in YAML."""

DurationOrZero = Annotated[float, BeforeValidator(parse_duration), AfterValidator(_non_negative), _DURATION_SCHEMA]

Ident = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=64)]
"""Lower-case identifiers used to cross-reference things (OPD codes, metric ids, scene ids)."""


class Strict(BaseModel):
    """Base for every config model: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Versioned(Strict):
    version: Literal[1] = Field(description="format version of this file")
