"""Reading YAML with line marks, so every config error can name file:line:column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from commandcenter.config.errors import ConfigIssue


@dataclass
class YamlDoc:
    """A parsed file. `data` comes from the fast C loader; line marks come from a round-trip
    re-parse done only when an error has to be located (valid configs never pay for it)."""

    path: Path
    display: str
    data: Any
    text: str = ""
    _marked: Any = None

    def marked(self) -> Any:
        if self._marked is None:
            try:
                self._marked = YAML(typ="rt").load(self.text) if self.text else self.data
            except Exception:  # the fast parse succeeded, so this is unexpected: no line marks then
                self._marked = self.data
        return self._marked

    def position(self, loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
        """1-based (line, column) of the deepest node of `loc` present in the document."""
        node: Any = self.marked()
        line, col = (1, 1) if node is not None else (None, None)
        for part in loc:
            if isinstance(node, CommentedMap) and part in node:
                ln, cl = node.lc.key(part)
                line, col = ln + 1, cl + 1
                node = node[part]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                ln, cl = node.lc.item(part)
                line, col = ln + 1, cl + 1
                node = node[part]
            else:
                break
        return line, col

    def issue(self, loc: tuple[Any, ...], message: str) -> ConfigIssue:
        line, col = self.position(loc)
        return ConfigIssue(self.display, line, col, key_path(loc), message)


def key_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def read(path: Path, display: str) -> tuple[YamlDoc | None, list[ConfigIssue]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [ConfigIssue(display, None, None, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    except OSError as exc:
        return None, [ConfigIssue(display, None, None, "", f"cannot read: {exc.strerror}")]
    try:
        data = YAML(typ="safe").load(text)  # libyaml via ruamel.yaml.clib when installed
    except Exception:
        data = None  # re-parse below with the round-trip parser for a precise message
    else:
        if data is None:
            return None, [ConfigIssue(display, 1, 1, "", "file is empty")]
        return YamlDoc(path, display, data, text), []
    try:
        data = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = (exc.problem or exc.context or "invalid YAML").strip()
        if exc.context_mark and exc.context and "end" in what and "stream" in what:
            # an unclosed bracket or quote is found only at the end of the file: point at its start
            mark = exc.context_mark
            what += f" (the {exc.context.strip().removeprefix('while parsing a ')} opened here is never closed)"
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        return None, [ConfigIssue(display, line, col, "", f"YAML syntax error: {what}")]
    except Exception as exc:  # ruamel raises a few non-marked errors (duplicate keys, bad tags)
        return None, [ConfigIssue(display, None, None, "", f"YAML error: {exc}")]
    if data is None:
        return None, [ConfigIssue(display, 1, 1, "", "file is empty")]
    return YamlDoc(path, display, data), []


def plain(data: Any) -> Any:
    """ruamel's commented containers -> plain dicts and lists for pydantic."""
    if isinstance(data, dict):
        return {str(k) if not isinstance(k, int) else k: plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    return data
