"""Config errors: every problem in every file is collected, then reported together."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class ConfigIssue:
    file: str
    line: int | None
    column: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        return f"{where}: {self.key or '(file)'}: {self.message}"


class ConfigError(Exception):
    """A config that does not validate; carries every issue found."""

    def __init__(self, issues: list[ConfigIssue]):
        self.issues = sorted(issues, key=lambda i: (i.file, i.line or 0, i.column or 0, i.key))
        super().__init__("\n".join(str(i) for i in self.issues))


class SecretMissing(Exception):
    """A `${ENV}` reference whose variable is not set. Names the variable, never a value."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"environment variable {name} is not set")


def did_you_mean(word: str, candidates: list[str] | set[str]) -> str:
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close and close[0] != word else ""
