"""A self-contained HTML page showing every card as Anki would, to check before importing.

Cards are rendered from the same Text/Back Extra/Source fields and the same notetype CSS the
package carries: on the front the card's own gap is hidden (``[...]`` or ``[hint]``) and the
other gaps show their words, as Anki's cloze template does; on the back the gap is revealed.

Images are shown the way Anki shows them: the fields name each image by its media name, and
the page's base address is a folder beside it holding those files (``preview-media/``), as
Anki's is its media folder. Formulas are typeset when the page is given a MathJax script (Anki's
own ``tex-chtml-full.js`` with Anki's settings); without one they read as written.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from .fields import attribute, side
from .model import Note
from .notetype import notetype_css

STATUS_LABELS = {"new": "new", "changed": "changed", "unchanged": "", "removed": "removed"}


def _card(note: Note, number: int) -> str:
    source = f'<div class="q2a-source">{note.source}</div>'
    extra = f'<div class="q2a-extra">{note.extra}</div>' if note.extra else ""
    front = f'<div class="q2a-text">{side(note, number, back=False)}</div>{source}'
    back = (f'<div class="q2a-text">{side(note, number, back=True)}</div>'
            f"{extra}{source}")
    return (f'<div class="pair"><div class="side"><div class="label">Front, card {number}</div>'
            f'<div class="card">{front}</div></div><div class="side"><div class="label">Back'
            f'</div><div class="card">{back}</div></div></div>')


ANKI_MATHJAX = {
    "tex": {"displayMath": [["\\[", "\\]"]], "processEscapes": False,
            "processEnvironments": False, "processRefs": False,
            "packages": {"[+]": ["noerrors", "mathtools"], "[-]": ["textmacros"]}},
    "loader": {"load": ["[tex]/noerrors", "[tex]/mathtools"]},
    "startup": {"typeset": True},
}
"""Anki's own MathJax settings (``_aqt/data/web/js/mathjax.js``): ``\\(...\\)`` and
``\\[...\\]`` only, no ``$``, no environments outside a formula; here the page typesets itself."""


def mathjax_head(script: Path) -> str:
    """The page's MathJax: Anki's settings, then the script (loaded from where it is)."""
    config = dict(ANKI_MATHJAX)
    config["loader"] = {**ANKI_MATHJAX["loader"],  # type: ignore[dict-item]
                        "paths": {"mathjax": script.resolve().parent.as_uri()}}
    return (f"<script>window.MathJax = {json.dumps(config)};</script>\n"
            f'<script src="{attribute(script.resolve().as_uri())}" async></script>')


def render_page(notes: Sequence[Note], statuses: Mapping[str, str], title: str = "quote2anki",
                media: str | None = None, mathjax: Path | None = None) -> str:
    """The whole page: books in order, each note with its cards and what changed since the
    last build (new, changed, removed; unchanged notes carry no mark). ``media`` is the folder
    (relative to the page) that holds the images; ``mathjax`` a MathJax script to typeset with."""
    counts: dict[str, int] = {}
    sections: list[str] = []
    deck = None
    for note in notes:
        if note.deck != deck:
            if deck is not None:
                sections.append("</section>")
            deck = note.deck
            sections.append(f"<section><h2>{html.escape(deck)}</h2>")
        status = statuses.get(note.guid, "new")
        counts[status] = counts.get(status, 0) + 1
        mark = STATUS_LABELS.get(status, status)
        badge = f'<span class="status {status}">{mark}</span>' if mark else ""
        cards = "".join(_card(note, number) for number in sorted(note.cards))
        sections.append(
            f'<article class="note {status}"><header>{badge}<span class="kind">{note.kind}'
            f'</span> <span class="where">{html.escape(note.location)}</span></header>{cards}'
            "</article>")
    if deck is not None:
        sections.append("</section>")
    summary = ", ".join(f"{counts[key]} {key}" for key in ("new", "changed", "unchanged",
                                                              "removed") if counts.get(key))
    head = f'<base href="{attribute(media.rstrip("/") + "/")}">\n' if media else ""
    if mathjax is not None:
        head += mathjax_head(mathjax) + "\n"
    return _PAGE.format(title=html.escape(title), css=notetype_css(), summary=summary or "no notes",
                        total=len(notes), body="\n".join(sections), head=head)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: preview</title>
{head}<style>
/* the notetype's own CSS, as in the package */
{css}
/* the page around the cards */
body {{ margin: 0; padding: 1.5em; background: #eceae4; font-family: -apple-system, "Segoe UI",
  Roboto, sans-serif; color: #1f2328; }}
h1 {{ font-size: 1.4em; margin: 0 0 0.2em; }}
h2 {{ font-size: 1.15em; margin: 2em 0 0.6em; }}
.summary {{ color: #555; margin-bottom: 1em; }}
article.note {{ background: #fff; border-radius: 8px; padding: 0.6em 0.8em; margin: 0 0 1em;
  box-shadow: 0 1px 2px rgba(0,0,0,0.08); }}
article.note header {{ font-size: 0.8em; color: #666; margin-bottom: 0.4em; }}
.status {{ font-weight: 600; border-radius: 4px; padding: 0.1em 0.45em; margin-right: 0.5em; }}
.status.new {{ background: #d7f5dd; color: #14532d; }}
.status.changed {{ background: #fdf0c4; color: #6b4e00; }}
.status.removed {{ background: #fde2e1; color: #7f1d1d; }}
.kind {{ text-transform: uppercase; letter-spacing: 0.05em; }}
.pair {{ display: flex; gap: 0.8em; margin: 0.4em 0; }}
.side {{ flex: 1; min-width: 0; }}
.label {{ font-size: 0.7em; color: #888; margin-bottom: 0.2em; }}
.side .card {{ border: 1px solid #ddd; border-radius: 6px; padding: 0.4em 0.8em 0.8em;
  font-size: 17px; }}
@media (max-width: 800px) {{ .pair {{ flex-direction: column; }} }}
#night {{ margin-left: 1em; font: inherit; font-size: 0.85em; }}
body.nightMode {{ background: #111315; color: #d8d6d2; }}
body.nightMode article.note {{ background: #181a1c; box-shadow: none; }}
body.nightMode .summary, body.nightMode article.note header {{ color: #9a9ea5; }}
body.nightMode .side .card {{ border-color: #33363a; }}
</style>
</head>
<body>
<h1>{title}</h1>
<div class="summary">{total} notes: {summary}
  <button id="night" type="button" aria-pressed="false">Night mode</button></div>
{body}
<script>
// Night mode as Anki shows it (the notetype's .nightMode rules): on by default when the system
// is dark, and a button to switch. The page's only script; nothing from a note is code.
(function () {{
  var button = document.getElementById("night");
  function set(on) {{
    document.body.classList.toggle("nightMode", on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
  }}
  set(window.matchMedia("(prefers-color-scheme: dark)").matches);
  button.addEventListener("click", function () {{
    set(!document.body.classList.contains("nightMode"));
  }});
}})();
</script>
</body>
</html>
"""
