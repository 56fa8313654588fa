"""Definitions in Japanese and Chinese quotes: ``XとはYのことです``, ``YをXと呼びます``,
``X是指Y``, ``Y称为X``.

There are no spaces to bound a term, so a term is the run of kanji, katakana and Latin letters
(with a の or ・ between two such runs) that stands right before the marker or inside quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import Context, Found, rule_needing

_TERM_CHARS = r"[\u30a0-\u30ff\u3400-\u9fffA-Za-z0-9ー・＿_]"
# hiragana only between two term characters: 外れ値, ルールベースのモデル
_TERM = (rf"(?:「|『|“)?(?P<term>{_TERM_CHARS}(?:{_TERM_CHARS}|"
         rf"(?!と[呼言称])[\u3041-\u3096]{{1,2}}(?={_TERM_CHARS})){{0,20}})(?:」|』|”)?")
_PARTICLE_BEFORE = r"(?:^|(?<=[、。，,\s「『（(は]|[^\u30a0-\u30ff\u3400-\u9fffA-Za-z0-9ー・]))"
_FORMS = (
    # 欠損値とは、…値のことです / リーケージとは…を指します
    re.compile(rf"{_PARTICLE_BEFORE}{_TERM}\s?(?:\(|（[^）)]{{1,40}}[）)])?\s?とは[、,]?\s?"
               r"(?P<definition>.{6,}?)(?:のこと|を指|を意味|をいい|です|である)"),
    # …のことを 探索的解析 と呼びます / …は 決定木 と呼ばれています / これを 方式 と言います
    re.compile(rf"(?P<definition>.{{3,}}?)(?:を|は|が)[、,]?\s?{_TERM}\s?(?:とも)?(?:と呼|とよ|と言|"
               r"といい|と称|呼)"),
    # nanは欠損値を意味します
    re.compile(rf"{_PARTICLE_BEFORE}{_TERM}\s?は\s?(?P<definition>.{{2,}}?)を意味"),
    # Chinese: X是指Y / 所谓X，就是Y / X指的是Y
    re.compile(rf"{_PARTICLE_BEFORE}(?:所谓)?{_TERM}\s?(?:是指|指的是|，就是|,就是|即是)"
               r"(?P<definition>.{4,})"),
    # Chinese: Y称为X / Y叫做X / Y被称为X
    re.compile(rf"(?P<definition>.{{4,}}?)(?:被)?(?:称为|称作|叫做|叫作){_TERM}"),
    # ROC曲線は、…をプロットしたものです: a topic set off by a comma, stated as a noun
    re.compile(rf"(?:^|(?<=。))\s?{_TERM}\s?は、\s?(?P<definition>[^。]{{8,}}?"
               r"[\u30a0-\u30ff\u3400-\u9fffの])(?:です|である)(?:（[^）]{0,20}）)?(?:。|$)"),
)
# "…は、とても重要です": an adjective, not a class, before the copula
_ADJECTIVE_END = re.compile(r"(?:重要|必要|大切|可能|簡単|便利|有効|不可欠|困難|大事|有用|"
                            r"不要|十分|明確|自然|適切|同じ)$")
_NOT_TERM = re.compile(r"^(?:これ|それ|あれ|この|その|ここ|そこ|私|我们|我|他|她|它|这|那)")


@rule_needing("は、", "とは", "と呼", "とも呼", "とよ", "と言", "といい", "と称", "を意味", "是指",
              "指的是", "就是", "即是", "称为", "称作", "叫做", "叫作")
def cjk_definition(context: Context) -> Iterator[Found]:
    """
    >>> from quote2anki.definitions import candidates
    >>> t = "外れ値とは、平均から大きく離れた値のことです。"
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "cjk_definition"]
    [('外れ値', '平均から大きく離れた値')]
    >>> [(f.term, f.definition) for f in candidates("この手順を 前処理 と呼びます。")
    ...  if f.rule == "cjk_definition"]
    [('前処理', 'この手順')]
    >>> t = "木の形で最も単純なものは、 決定木 とも呼ばれます。"
    >>> [(f.term, f.definition) for f in candidates(t) if f.rule == "cjk_definition"]
    [('決定木', '木の形で最も単純なもの')]
    >>> [f.term for f in candidates("再現率は、拾えた正例の割合の比率です（図1）。次へ。")]
    ['再現率']
    >>> [f.term for f in candidates("前処理は、とても重要です。")]
    []
    >>> [f.term for f in candidates("広く使われているのがスクラムと呼ばれる手法です。")]
    ['スクラム']
    >>> [f.term for f in candidates("画面の設計の知識です。この知識は UI知識 とも呼ばれます。")]
    ['UI知識']
    """
    for form in _FORMS:
        match = form.search(context.text)
        if match is None:
            continue
        term = match["term"]
        if _NOT_TERM.match(term) or len(term) < 2:
            continue
        definition = match["definition"].strip(" 、。,，「」")
        parts = [part for part in re.split(r"(?<=[。！？])", definition) if part.strip()]
        if len(parts) > 1:  # "…です。そのプロセスを X と呼び": the sentence before, and this one
            definition = "".join(parts[-2:]) if re.match(r"^(?:その|この|これ|それ)", parts[-1]) \
                else parts[-1]
        if len(definition) < 3 or _ADJECTIVE_END.search(definition):
            continue
        start = context.start + match.start("term")
        yield Found(term, definition, start, start + len(term))
        return
