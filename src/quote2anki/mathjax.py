"""What a formula may ask of MathJax: Anki typesets ``\\(...\\)`` and ``\\[...\\]`` with the
whole of MathJax 3 (``tex-chtml-full``), whose commands reach the page: ``\\href`` makes a
clickable link (``javascript:`` included), ``\\style``, ``\\class`` and ``\\cssId`` put CSS and
attributes on it, ``\\require`` and ``\\unicode`` load code and fonts. A formula that uses any of
them is refused: shown as the text it is (in ``<code>``, which MathJax leaves alone) and named
in a warning, never stripped into something the reader did not write.
"""

from __future__ import annotations

import re

REFUSED = frozenset(
    """href url class style cssId data require unicode bbox enclose mmlToken mathtip texttip
    toggle tooltip def gdef edef xdef let futurelet newcommand renewcommand providecommand
    newenvironment renewenvironment DeclareMathOperator Newextarrow setOptions""".split()
)
"""Commands that put links, CSS, attributes or loaded code into the page, or define macros
(which could rename one of those); any ``\\html...`` command (KaTeX's ``\\htmlClass`` and its
kin) is refused too."""

_COMMAND = re.compile(r"\\(?:([A-Za-z]+)|(.))", re.S)


def refused_command(tex: str) -> str | None:
    """The first command in ``tex`` that MathJax must not run, or None if the formula is safe.

    A delimiter inside the formula (``\\(``, ``\\]``) is refused too: it would end the formula
    early and start another one that was never checked.

    >>> refused_command(r"\\frac{a}{b} + \\sqrt{x}") is None
    True
    >>> refused_command(r"\\href{javascript:alert(1)}{click}")
    '\\\\href'
    >>> refused_command(r"\\htmlStyle{color:red}{x}"), refused_command(r"a \\) b")
    ('\\\\htmlStyle', '\\\\)')
    >>> refused_command(r"\\\\href") is None   # an escaped backslash, then the letters href
    True
    """
    for match in _COMMAND.finditer(tex):
        name, symbol = match.groups()
        if name is not None and (name in REFUSED or name.startswith("html")):
            return f"\\{name}"
        if symbol is not None and symbol in "()[]":
            return f"\\{symbol}"
    return None
