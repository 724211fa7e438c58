"""The one translation catalog for the wall, the console, alerts and exports (gettext, via Babel).

Source texts are Bahasa Indonesia (the city's working language); English lives in
resources/locale/en/LC_MESSAGES/commandcenter.po, compiled to the .mo next to it
(`python -m commandcenter.i18n compile`; tests/test_i18n.py fails when the .mo is out of date).
`python -m commandcenter.i18n extract` lists every `tr("...")` text in the code into the .po,
keeping the translations already there. No Qt here: the core (alerts, exports) translates too.
"""

from __future__ import annotations

import gettext
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path

DOMAIN = "commandcenter"
LANGS = ("id", "en")


def locale_dir() -> Path:
    return Path(str(resources.files("commandcenter") / "resources" / "locale"))


def po_path(lang: str = "en") -> Path:
    return locale_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=4)
def catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of `lang`; Indonesian (the source language) needs none."""
    if lang == "id":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, str(locale_dir()), languages=[lang], fallback=True)


def tr(text: str, lang: str = "id") -> str:
    """`text` (Indonesian) in `lang`; an entry missing from the catalog stays Indonesian."""
    if not text or lang == "id":
        return text
    return catalog(lang).gettext(text)


def has(text: str, lang: str = "en") -> bool:
    return lang == "id" or catalog(lang).gettext(text) is not text


# -- maintenance: extract and compile (Babel) ------------------------------------------------------
def extract(src: Path | None = None) -> list[str]:
    """Every literal `tr("...")` text under src/commandcenter, in first-seen order."""
    from babel.messages.extract import extract_from_dir

    root = src or Path(__file__).parent
    found: dict[str, None] = {}
    for _file, _line, msg, _comments, _ctx in extract_from_dir(str(root), keywords={"tr": None, "_tr": None},
                                                              method_map=[("**.py", "python")]):
        if isinstance(msg, str) and msg:
            found.setdefault(msg)
    return list(found)


def update_po(lang: str = "en") -> int:
    """Add the code's new texts to the .po (untranslated); returns how many were added."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    path = po_path(lang)
    cat = read_po(path.open("rb"), locale=lang) if path.exists() else Catalog(locale=lang, domain=DOMAIN)
    added = 0
    for msg in extract():
        if msg not in cat:
            cat.add(msg, "")
            added += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, cat, width=0, sort_output=False)
    return added


def compile_mo(lang: str = "en") -> Path:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    path = po_path(lang)
    with path.open("rb") as f:
        cat = read_po(f, locale=lang)
    out = path.with_suffix(".mo")
    with out.open("wb") as f:
        write_mo(f, cat)
    catalog.cache_clear()
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    verb = args[0] if args else "compile"
    if verb == "extract":
        print(f"{update_po()} new text(s) in {po_path()}")
    elif verb == "compile":
        print(compile_mo())
    else:
        print("usage: python -m commandcenter.i18n [extract|compile]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
