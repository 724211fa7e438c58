"""What every connector shares: the context a run gets, the result it returns, its errors.

A connector fetches and parses. It never writes to the cache: checkpoints it wants to move
(a file imported, a `since` watermark) go back in the result, and the collector stores them only
after the samples are written, so a failed run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, ClassVar, Mapping
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from commandcenter.cache.records import Sample
from commandcenter.config import secrets


class SourceError(Exception):
    """A run that cannot deliver: the message is shown to operators, so it never holds a secret."""

    def __init__(self, reason: str, retryable: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


class Options(BaseModel):
    """Base of every connector's `options:` model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass
class FetchContext:
    source_id: str
    options: Any
    timeout: float
    tz: ZoneInfo
    now: float
    data_dir: Path
    config_root: Path
    get_checkpoint: Callable[[str], str | None] = lambda key: None
    environ: Mapping[str, str] | None = None
    # true once the collector is stopping: network waits end within a fraction of a second
    cancelled: Callable[[], bool] = lambda: False
    # the fingerprint of the answer the collector last committed for this source (None: none it can
    # rely on); a connector that fetches the same answer may return FetchResult(unchanged=True)
    # instead of parsing it again (see FetchResult)
    fingerprint: str | None = None
    _secret_names: set[str] = field(default_factory=set)

    def secret(self, text: str) -> str:
        """Resolve `${ENV}` references now (not at config load), remembering names for redaction."""
        self._secret_names.update(secrets.references(text))
        return secrets.resolve(text, dict(self.environ) if self.environ is not None else None)

    def redact(self, text: str) -> str:
        env = dict(self.environ) if self.environ is not None else None
        return secrets.redact(text, env, names=sorted(self._secret_names))

    def path(self, text: str) -> Path:
        return option_path(self.secret(text), self.data_dir, self.config_root)


def option_path(text: str, data_dir: Path, config_root: Path) -> Path:
    """A folder or file named in options: `{data_dir}/...`, `~/...`, absolute, or relative to config/.

    `{data_dir}` keeps a fresh clone working: drops land in the per-user data folder, not the repo.
    """
    path = Path(text.replace("{data_dir}", str(data_dir))).expanduser()
    return path if path.is_absolute() else Path(config_root) / path


def default_data_dir(cfg: Any) -> Path:
    """city.yaml's data_dir, else the per-user data folder (where the cache lives too)."""
    if cfg.city.data_dir:
        return cfg.resolve_path(cfg.city.data_dir)
    from platformdirs import user_data_dir

    return Path(user_data_dir("commandcenter", appauthor=False))


@dataclass
class FetchResult:
    samples: list[Sample] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    nodata: bool = False
    message: str = ""
    checkpoints: dict[str, str] = field(default_factory=dict)
    # a digest of the raw answer (every page), for connectors whose samples follow from it alone;
    # "" when the connector keeps none. The collector offers it back as ctx.fingerprint next time.
    fingerprint: str = ""
    # the answer's fingerprint is ctx.fingerprint: nothing was parsed, `samples` is empty and the
    # collector records the run as a repeat of the last one it committed
    unchanged: bool = False


class Connector:
    """Base class; subclasses set `type_name` and `Options` and implement `fetch`."""

    type_name: ClassVar[str]
    Options: ClassVar[type[BaseModel]]

    def fetch(self, ctx: FetchContext) -> FetchResult:
        raise NotImplementedError


def fingerprint(parts: list[bytes]) -> str:
    """A digest of a raw answer's parts (pages), each length-prefixed so no two splits of the
    same bytes collide."""
    import hashlib

    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def dedupe(samples: list[Sample]) -> list[Sample]:
    """One value per metric/opd/dim/ts in a batch (paged feeds may repeat a summary); last wins."""
    return list({(s.metric, s.opd, s.dim, s.ts): s for s in samples}.values())
