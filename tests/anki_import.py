"""Importing packages with Anki's own backend, the way File > Import does by default."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def import_package(col: Any, path: Path) -> Any:
    """Import ``path`` with Anki's default options ("update notes if newer"); returns the log."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(
        package_path=str(path),
        options=ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False),
    )
    return col.import_anki_package(request).log


def card_text(html: str, part: str = "q2a-text") -> str:
    """What a user reads in one part of a rendered card: tags dropped, entities decoded.

    ``part`` is the class of the template's ``<div>`` (``q2a-text``, ``q2a-extra``,
    ``q2a-source``); a gap on the front reads as its ``[...]`` or ``[hint]``.
    """
    import html as html_lib
    import re

    match = re.search(rf'<div class="{part}">(.*?)</div>', html, re.S)
    if match is None:
        return ""
    inner = re.sub(r"<br\s*/?>", "\n", match.group(1))
    return html_lib.unescape(re.sub(r"<[^>]*>", "", inner))


def element_names(html: str) -> list[str]:
    """Every element a browser would build from ``html``, in order: what could run or style."""
    from html.parser import HTMLParser

    names: list[str] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            names.append(tag)

    Collector(convert_charrefs=True).feed(html)
    return names
