"""A small Obsidian vault of our own whose quotes hold what technical books print: a formula,
a code block, a figure and links, with an export's location tail (for the content tests)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain PNG of one colour, made here: the tests need real image bytes, not a fixture."""
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


NOTE = """# Numerical Methods for the Curious
## Highlights
- The error of the trapezoid rule falls as $O(h^2)$ when the step halves, which is why \
==Richardson extrapolation== works so well. \
([Location 1520](https://readwise.io/to_kindle?action=open&asin=B0TESTBOOK&location=1520))
    - Note: Compare [[Romberg integration]] and *the* [NIST handbook](https://dlmf.nist.gov).
- A loop written as `for i in range(n)` visits every index once:
  ```python
  total = 0
  for i in range(n):
      total += a[i] * b[i]  # &amp; stays {{c1::as typed}}
  ```
  and this is what numpy calls a **dot product** of two vectors.
- The figure plots how the error shrinks with the ==grid spacing==. ![[error-plot.png|240]]
- Kindle keeps the ==place== of every passage you mark on the page. \
— location: [612](kindle://book?action=open&asin=B0TESTBOOK&location=612)
"""

PLOT = png(160, 90, (30, 120, 200))


def make_vault(root: Path) -> Path:
    """The vault (with ``.obsidian`` and an attachment folder) and its one book note."""
    vault = root / "Reading Vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian" / "app.json").write_text('{"attachmentFolderPath": "Attachments"}',
                                                   encoding="utf-8")
    (vault / "Attachments").mkdir()
    (vault / "Attachments" / "error-plot.png").write_bytes(PLOT)
    (vault / "Books").mkdir()
    (vault / "Books" / "Numerical Methods.md").write_text(NOTE, encoding="utf-8")
    return vault


HOSTILE = [  # formulas that try to make MathJax link, style, load or define
    r"\href{javascript:alert(1)}{click}",
    r"\url{javascript:alert(1)}",
    r"\class{x}{y}",
    r"\style{position:fixed;inset:0}{y}",
    r"\cssId{top}{y}",
    r"\htmlClass{x}{y}",
    r"\htmlStyle{color:red}{y}",
    r"\require{html}",
    r"\unicode[serif]{x41}",
    r"\bbox[background:url(https://x.org/t.png)]{y}",
    r"\mmlToken{mi}[href='javascript:alert(1)']{x}",
    r"\def\h{\hr}x",
    r"\newcommand{\x}{\href{javascript:alert(1)}{y}}\x",
    r"x \) \(\href{javascript:alert(1)}{y}",
]


def cards(col: Any) -> list[tuple[str, str]]:
    """Every card's question and answer, as Anki's backend renders them."""
    out = []
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        out.append((card.question(), card.answer()))
    return out
