"""Every export format users keep notes in, each a note in ``tests/formats/`` with a golden file.

A golden file (``x.result.json`` beside ``x.md``) holds what :func:`read_book` makes of the
note: title, author, tags, every quote with its line, section, the reader's note, tags and
marked words, every glossary definition, and every problem. It does not hold cloze choices,
which belong to another step. After a deliberate change, regenerate with
``QUOTE2ANKI_UPDATE_GOLDEN=1 pytest tests/test_formats.py`` and read the diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from quote2anki.book import read_book
from quote2anki.reader import read_source

FORMATS = Path(__file__).parent / "formats"
NAMES = sorted(path.stem for path in FORMATS.glob("*.md"))


def read(name: str) -> dict[str, Any]:
    return read_book(read_source(FORMATS / f"{name}.md", f"{name}.md")).to_dict()


def test_every_format_has_a_note_and_a_golden_file() -> None:
    assert set(NAMES) >= {"template", "readwise", "readwise-reader", "kindle-layout1",
                          "kindle-layout2", "callouts", "logseq", "dataview", "glossary"}
    for name in NAMES:
        assert (FORMATS / f"{name}.result.json").exists(), name


@pytest.mark.parametrize("name", NAMES)
def test_format_matches_golden(name: str) -> None:
    result = read(name)
    golden = FORMATS / f"{name}.result.json"
    if os.environ.get("QUOTE2ANKI_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n",
                          encoding="utf-8")
    assert result == json.loads(golden.read_text(encoding="utf-8"))


# The goldens hold everything; the tests below name what each format must get right, so a
# regenerated golden that loses one of these still fails.

def texts(name: str) -> list[str]:
    return [quote["text"] for quote in read(name)["quotes"]]


def test_template_keeps_only_the_quotes_section_and_merges_the_shorter_copy() -> None:
    book = read("template")
    assert (book["title"], book["author"]) == ("Thinking, Fast and Slow", "Daniel Kahneman")
    assert book["tags"] == ["books", "psychology", "thinking/mental-models"]
    quotes = texts("template")
    assert len(quotes) == 5
    assert not any("Two systems" in q or "colleague" in q for q in quotes)
    assert sum(q.startswith("The confidence that individuals") for q in quotes) == 1
    assert "We can be blind to the obvious, and we are also blind to our blindness." in quotes
    assert any("too short" in p for p in book["problems"])


def test_readwise_locations_with_and_without_links_notes_and_tags() -> None:
    book = read("readwise")
    assert (book["title"], book["author"]) == ("The Wealth of Nations", "Adam Smith")
    assert book["tags"] == ["books", "economics", "classics"]
    for quote in book["quotes"]:
        assert "Location" not in quote["text"] and "Page" not in quote["text"]
        assert quote["text"].endswith(".")
    butcher = next(q for q in book["quotes"] if "butcher" in q["text"])
    assert butcher["comment"] == "The most quoted line of the book."
    assert butcher["tags"] == ["self-interest", "favorite"]
    assert any(q["comment"] == "Still true of every industry conference."
               for q in book["quotes"])
    assert len(book["quotes"]) == 5


def test_readwise_reader_chapters_multiline_highlights_and_view_highlight_links() -> None:
    book = read("readwise-reader")
    assert [q["section"] for q in book["quotes"]] == [
        "Deciding What to Work On", "Deciding What to Work On", "Staying Curious",
        "Staying Curious"]
    quotes = texts("readwise-reader")
    assert "If you're not sure what to work on, guess. But pick something and get going." in quotes
    assert any(q.startswith("Curiosity is the best guide. Your curiosity never lies") for q in
               quotes)
    assert not any("View Highlight" in q or "readwise.io" in q for q in quotes)


def test_kindle_plugin_paragraphs_split_by_rules_with_the_readers_note() -> None:
    book = read("kindle-layout1")
    assert (book["title"], book["author"]) == ("Refactoring", "Martin Fowler")
    quotes = book["quotes"]
    assert len(quotes) == 5
    assert not any("location" in q["text"] or "^ref" in q["text"] for q in quotes)
    fool = next(q for q in quotes if q["text"].startswith("Any fool"))
    assert fool["comment"] == ("My favourite line in the book.\n"
                               "It is on a sticky note above my desk.")
    # a highlight directly above its --- is not taken for a heading
    assert any(q["text"].startswith("Refactoring (noun)") for q in quotes)
    assert quotes[-1]["text"] == "Never be afraid to change names to improve clarity."


def test_kindle_plugin_highlight_blocks_with_location_page_and_note() -> None:
    book = read("kindle-layout2")
    assert (book["title"], book["author"]) == ("The Lantern Keeper's Manual",
                                                "Ines Marwood and Tobiah Fenn")
    assert book["tags"] == ["Kindle", "books"]
    quotes = book["quotes"]
    assert len(quotes) == 3
    assert all(not q["text"].endswith(tuple("0123456789")) for q in quotes)
    assert quotes[1]["comment"] == ("If a steady flame helps sailors judge distance, that is "
                                    "worth more than raw brightness.\n"
                                    "Steadiness also saves oil.")


def test_kindle_plugin_frontmatter_gives_title_and_author_when_the_note_does_not() -> None:
    text = (FORMATS / "kindle-layout1.md").read_text(encoding="utf-8")
    body = text.replace("# Refactoring\n", "").replace(
        "* Author: [Martin Fowler](https://www.amazon.comundefined)\n", "")
    from quote2anki.reader import parse_source

    book = read_book(parse_source("k.md", body.encode()))
    # a long subtitle is kept apart: the deck is the title, the Source field shows both
    assert book.title == "Refactoring"
    assert book.full_title == ("Refactoring: Improving the Design of Existing Code "
                               "(Addison-Wesley Signature Series (Fowler))")
    assert book.author == "Martin Fowler"


def test_callouts_and_blockquotes_anywhere_but_not_the_readers_callouts() -> None:
    book = read("callouts")
    sections = {q["text"][:20]: q["section"] for q in book["quotes"]}
    assert sections["All warfare is based"] == "Page 12"
    assert sections["Supreme excellence c"] == "Chapter 3, Attack by Stratagem"
    assert sections["Appear at points whi"] == "Chapter 6"
    assert sections["If you know the enem"] == ""
    quotes = texts("callouts")
    assert ("All warfare is based on deception. Hence, when able to attack, we must seem "
            "unable.") in quotes
    assert not any("org design" in q or "says the reader" in q for q in quotes)
    assert any(q.startswith("Let your plans be dark") for q in quotes)


def test_logseq_properties_and_highlights_without_a_heading() -> None:
    book = read("logseq")
    assert (book["title"], book["author"]) == ("Discover How @MainActor Works",
                                                "Vincent Pradeilles")
    assert book["tags"] == ["Swift", "concurrency", "articles"]
    quotes = texts("logseq")
    assert len(quotes) == 4
    assert quotes[1].startswith("@MainActor can be used") and quotes[1].endswith("closures.")
    assert not any("#Highlight" in q or "id::" in q or "my own" in q for q in quotes)


def test_dataview_fields_are_metadata_not_quotes() -> None:
    book = read("dataview")
    assert (book["title"], book["author"], book["tags"]) == ("Slow Craft", "Oriel Standish",
                                                              ["books"])
    assert texts("dataview")[1].endswith("free from interruption.")


def test_glossary_lines_in_every_shape() -> None:
    book = read("glossary")
    assert [d["term"] for d in book["definitions"]] == [
        "Linearizability", "Idempotent", "Replication lag", "Write skew", "Partition", "Quorum"]
    assert book["definitions"][5]["definition"].startswith("the minimum number of nodes")
    assert any(p.startswith("15: warning: not a glossary line") for p in book["problems"])


def test_only_an_exports_link_makes_a_highlight_outside_a_quotes_section() -> None:
    from quote2anki.reader import parse_source

    note = ("# My Reading Log\n\nI stopped for the night at the chapter on rent (Page 30)\n\n"
            "- My own list item that ends in (Location 12)\n"
            "- Rent is the price paid for the use of land. ([Location 12](https://readwise.io/x))\n")
    book = read_book(parse_source("log.md", note.encode()))
    assert [q.text for q in book.quotes] == ["Rent is the price paid for the use of land."]


# --- issue 12: notes as their readers meant them ------------------------------------------------

def test_a_daily_notes_blockquote_is_no_card() -> None:
    book = read("vault-daily")
    assert book["kind"] == "other" and "not a book note" in book["why"]
    assert book["quotes"] == [] and book["flashcards"] == []


def test_logseq_readwise_tags_properties_and_prompts_stay_out_of_the_quotes() -> None:
    book = read("logseq-flashcards")
    assert (book["title"], book["author"], book["category"]) == (
        "The Pragmatic Gardener", "Ada Fernsby", "books")
    for quote in book["quotes"]:
        assert "#" not in quote["text"] and "::" not in quote["text"]
        assert "id::" not in quote["text"] and "Location" not in quote["text"]
        assert "flashcard" in quote["tags"]
    water = book["quotes"][0]
    assert water["tags"] == ["flashcard", "blue", "azul"] and water["line"] == 13
    texts = [quote["text"] for quote in book["quotes"]]
    assert not any("staked early" in t or "Rotación" in t or "beans and peas" in t for t in texts)
    assert "Compost Basics" in texts  # a fragment, but the reader tagged it to study
    assert texts[-1] == "A garden is never finished, only abandoned for the winter."
    cards = {card["front"]: card for card in book["flashcards"]}
    assert cards["Why should tomatoes be staked early?"]["back"].startswith("Staking a tomato")
    assert cards["Why should tomatoes be staked early?"]["tags"] == ["flashcard", "veg", "pink"]
    assert cards["Do beans and peas...\nfeed the soil?\nneed much nitrogen?"]["back"].startswith(
        "Legumes fix nitrogen")
    # the answer below a prompt is also the book's highlight, kept as a quote at its own line
    assert any(q["line"] == 26 and q["text"].startswith("Staking a tomato")
               for q in book["quotes"])


def test_the_readers_own_flashcards_in_every_shape() -> None:
    book = read("spaced-repetition")
    cards = [(c["front"], c["back"], c["both_ways"]) for c in book["flashcards"]]
    assert cards == [
        ("When is the best time to prune an apple tree?",
         "In late winter, while the tree is dormant.", False),
        ("Which pollinates better, one variety or two?",
         "Two varieties flowering at the same time.", False),
        ("What does grafting join?", "A scion to a rootstock", False),
        ("Rootstock", "The lower part of a grafted tree, which sets its vigour", True),
        ("Why do old orchards keep the grass between rows?",
         "It holds the soil and feeds the bees.", False),
        ("Scion", "The cutting grafted onto the rootstock.", True),
    ]
    assert [q["comment"] for q in book["quotes"]] == ["", ""]  # the Q:/A: is not a note
    assert not any("Q:" in q["text"] or "A:" in q["text"] for q in book["quotes"])


def test_subheadings_under_highlights_are_chapters_by_whole_words() -> None:
    book = read("chapters")
    assert [q["section"] for q in book["quotes"]] == [
        "Chapter 4: Transactions", "Questions of Scale", "Related Work",
        "Chapter 2. Key Concepts"]
    assert book["definitions"] == []
    assert any("'Summary'" in p and "own words" in p for p in book["problems"])


def test_a_highlights_own_sub_list_stays_in_the_quote() -> None:
    quotes = read("sublists")["quotes"]
    braising = quotes[0]
    assert braising["text"].startswith("How Braising Works: Low Heat, Long Time Braising turns")
    assert "4. Wait: Cook it low for three hours." in braising["text"]
    assert braising["comment"] == ""
    assert quotes[1]["text"] == ("When seasoning a stock, keep these in mind: • Salt late • "
                                 "Acid last")
    assert quotes[2]["text"] == ("Three rules of the line cook: • Taste everything. • Clean as "
                                 "you go. • Never say you are almost ready.")
    # a sub-bullet that does not continue the passage is still the reader's note
    assert quotes[3]["comment"] == "I disagree: my oven runs hot."
    assert quotes[4]["comment"] == "true for every knife I own."
    assert len(quotes) == 5


def test_headings_written_as_list_items_open_sections() -> None:
    book = read("list-headings")
    assert (book["title"], book["author"]) == ("The Weight of Maps", "Iris Calder")
    texts = [q["text"] for q in book["quotes"]]
    assert len(texts) == 4 and not any("export produced" in t for t in texts)
    assert not any(t.startswith("==") or t.endswith("==") for t in texts)


def test_pdf_copies_footnotes_and_the_note_takers_signature_are_repaired() -> None:
    book = read("pdf-repair")
    assert book["author"] == "Lena Okafor"  # not the note-taker of the frontmatter
    assert book["repairs"] == 5
    texts = [q["text"] for q in book["quotes"]]
    assert texts[0] == ("Keep every file in plain text so that the finding can be checked by "
                        "anyone with sufficient patience.")
    assert texts[1].startswith("It takes real effort") and "difficult" in texts[1]
    assert "three ways to store" in texts[2] and texts[3].startswith("Don't Repeat Yourself app")
    assert "__eq__" in texts[4] and "__init__.py" in texts[4] and "Python3" in texts[4]
    assert texts[5] == "A tidy table has one row per observation, and one column per variable"
    assert texts[6] == "Store the raw data once, and derive everything else from it by code."
    assert any("5 words a PDF copy had broken" in p for p in book["problems"])


def test_a_podcast_export_with_time_stamps_an_e_mail_author_and_its_full_document() -> None:
    book = read("readwise-podcast")
    assert book["category"] == "podcasts"
    assert book["author"] == "Jo Marsh"  # the byline, since the export's author is an e-mail
    assert [q["text"][:20] for q in book["quotes"]] == ["Doing fewer things a",
                                                        "Obsess over quality "]


def test_chinese_and_japanese_highlights_are_counted_by_characters() -> None:
    book = read("readwise-cjk")
    assert len(book["quotes"]) == 2
    assert any("too short" in p and "好书" in p for p in book["problems"])


def test_blockquoted_highlights_with_the_readers_words_between_them() -> None:
    book = read("blockquote-notes")
    assert (book["title"], book["author"]) == ("The Art of Small Steps", "Rosa Lind")
    quotes = book["quotes"]
    assert [q["text"][:16] for q in quotes] == ["Small steps take", "A habit is a vot",
                                                "5. Pick the habi"]
    assert quotes[0]["comment"] == "This one made me start walking every morning."
    assert quotes[2]["comment"] == "— a countdown the author repeats in every chapter"


def test_e_reader_stamps_above_highlights_are_no_text() -> None:
    book = read("clippings")
    assert [q["text"] for q in book["quotes"]] == [
        "The first year of any garden is mostly about learning where the water goes.",
        "The second year is about unlearning what the first year taught you too well.",
        "Everything grows faster than you planned, except the thing you wanted most."]
    assert {q["section"] for q in book["quotes"]} == {""}  # "Highlights (3)" says nothing more


def test_quotes_pasted_with_a_rule_under_each_are_not_headings() -> None:
    quotes = read("rules-between-quotes")["quotes"]
    assert [q["text"][:12] for q in quotes] == ["The river do", "A second pas", "Patience is "]
    assert quotes[2]["section"] == "Spring Floods"  # a short line over a rule is a heading


def test_a_readwise_template_without_a_highlights_heading_still_gives_its_highlights() -> None:
    book = read("readwise-bold-header")
    assert (book["title"], book["author"]) == ("The Harbour Almanac", "Ines Marrow")
    quotes = book["quotes"]
    assert [q["text"][:9] for q in quotes] == ["Tides fol", "A lightho", "Fog horns"]
    assert quotes[2]["comment"] == "check this against the chapter on sound."
    assert not any("Full title" in q["text"] or "Author" in q["text"] for q in quotes)


def test_pages_cited_around_a_highlight_become_its_place() -> None:
    book = read("page-citations")
    quotes = book["quotes"]
    assert len(quotes) == 6
    for quote in quotes:
        assert not re.search(r"\b(?:p\.|Page) ?\d", quote["text"]), quote["text"]
    assert [q["places"] for q in quotes[1:]] == [
        [["Page 14", ""]], [["Page 51", ""]], [["Page 60", ""]], [["Page 72", ""]],
        [["Page 80", ""], ["Page 81", ""]]]
    assert quotes[3]["text"].startswith("The sea gives salt")  # its quotation marks are off


def test_bold_lines_among_quotes_name_parts_and_a_note_label_is_dropped() -> None:
    quotes = read("page-citations")["quotes"]
    assert [q["section"] for q in quotes] == ["Part One: Inland"] * 2 + ["Part Two: The Coast"] * 4
    assert quotes[0]["comment"] == "the mules come back in chapter nine."
    assert not any("Part" in q["text"] or "Part" in q["comment"] for q in quotes)


def test_an_outliners_highlights_bullet_holds_highlights() -> None:
    book = read("outliner-highlights")
    assert [q["text"][:20] for q in book["quotes"]] == [
        "Outliners keep every", "A ledger of salt was", "Harbour pilots were "]
    assert book["quotes"][1]["comment"] == "true of coffee too"
    assert not any("friend" in q["text"] for q in book["quotes"])  # the reader's own section


def test_a_table_of_highlights_gives_one_highlight_a_row() -> None:
    quotes = read("highlights-table")["quotes"]
    assert [q["line"] for q in quotes] == [10, 11, 12]
    assert not any("|" in q["text"].replace(" | ", "") or "---" in q["text"] for q in quotes)
    assert "salt | or the spice | get wet" in quotes[1]["text"]
    assert quotes[1]["comment"] == "true of coffee too"
    assert [q["places"] for q in quotes] == [[["Page 12", ""]], [["Page 14", ""]],
                                             [["Page 51", ""]]]


def test_chapter_bullets_and_chapter_headings_after_the_highlights_hold_highlights() -> None:
    quotes = read("chapter-bullets")["quotes"]
    assert [(q["text"][:10], q["section"]) for q in quotes] == [
        ("Salt pans ", "Chapter 1"), ("Merchants ", "Chapter 1"),
        ("Coastal sa", "The Coast Houses"), ("The tide l", "The Coast Houses"),
        ("Salt Taxes", ""),  # one bullet below: the reader's note on a short highlight
        ("Sailors at", "Chapter 2")]
    assert not any("sea salt after" in q["text"] for q in quotes)  # the reader's own section


def test_a_shallower_heading_after_a_deeper_one_closes_both() -> None:
    from quote2anki.reader import parse_source
    text = ("## Highlights\n### Part One\n- Salt was carried inland on the backs of mules.\n"
            "## Chapter 2\n- Salted fish fed sailors through the long winters.\n")
    book = read_book(parse_source("salt.md", text.encode("utf-8")))
    assert [q.section for q in book.quotes] == ["Part One", "Chapter 2"]


def test_koreader_export_reads_each_stamped_page_as_one_highlight_with_its_note() -> None:
    book = read("koreader")
    assert (book["title"], book["author"]) == ("The Salt Road Almanac", "Odile Ferrant")
    quotes = book["quotes"]
    assert [quote["text"][:20] for quote in quotes] == [
        "A road paved with sa", "Merchants who travel", "The deepest well in "]
    assert [quote["section"] for quote in quotes] == [
        "Chapter One: Leaving Port", "Chapter One: Leaving Port", "Chapter Two: The Dry Wells"]
    assert [quote["comment"] for quote in quotes] == [
        "", "Compare with the caravan chapter later on.", ""]


def test_weread_export_reads_diamond_entries_chapters_and_thoughts() -> None:
    book = read("weread")
    assert (book["title"], book["author"]) == ("盐路年鉴", "奥迪尔·费朗")
    quotes = book["quotes"]
    assert [quote["text"][:6] for quote in quotes] == [
        "用盐铺成的路", "轻装上路的商", "山谷里最深的", "旅人把地图画"]
    assert [quote["section"] for quote in quotes] == [
        "第一章 离港", "第一章 离港", "第二章 枯井", "第二章 枯井"]
    assert [quote["comment"] for quote in quotes][2:] == ["这让我想起小时候村口的那口井。", ""]


def test_weread_plugin_drops_pins_ids_and_times_and_keeps_the_thought_apart() -> None:
    quotes = read("weread-plugin")["quotes"]
    assert [quote["text"] for quote in quotes] == [
        "用盐铺成的路记得每一辆在雨中经过的马车。", "轻装上路的商人最先到达，也带走得最少。",
        "山谷里最深的井是一个不肯停下的孩子挖出来的。"]
    assert quotes[2]["comment"] == "这让我想起小时候村口的那口井。"


def test_a_signature_under_or_after_a_quote_goes_to_the_back_not_the_text() -> None:
    book = read("signed-quotes")
    assert book["author"] == "Ines Marrow"  # who signs most of the quotes, all alike
    quotes = book["quotes"]
    assert [quote["text"] for quote in quotes] == [
        "A harbour is only as safe as the last keeper who stayed awake.",
        "Fog teaches patience to those who cannot learn it any other way.",
        "Every rope on the pier has held something heavier than itself.",
        "We left at dawn — all of us, even the cook who hated boats."]
    assert [quote["comment"] for quote in quotes] == [
        "— Ines Marrow", "— Ines Marrow, Harbour Lights", "— Ines Marrow", ""]


def test_a_pasted_my_clippings_file_reads_each_entry_with_its_place_and_note() -> None:
    book = read("kindle-my-clippings")
    assert (book["title"], book["author"]) == ("The Salt Road Almanac", "Odile Ferrant")
    quotes = book["quotes"]
    assert [quote["text"][:24] for quote in quotes] == [
        "A road paved with salt r", "Merchants who travel lig"]
    assert [quote["comment"] for quote in quotes] == [
        "Same image as the opening of chapter two.", ""]
    assert [quote["places"] for quote in quotes] == [
        [["Page 12", ""]], [["Location 455-457", ""]]]


def test_apple_books_footer_names_the_book_and_makes_no_card() -> None:
    book = read("apple-books")
    assert (book["title"], book["author"]) == ("The Salt Road Almanac", "Odile Ferrant")
    assert texts("apple-books") == [
        "A road paved with salt remembers every cart that crossed it in the rain.",
        "Merchants who travel light arrive first and leave with the least."]


def test_labelled_export_entries_keep_only_the_highlight_as_text() -> None:
    quotes = read("apple-books-plugin")["quotes"]
    assert [quote["text"] for quote in quotes] == [
        "A road paved with salt remembers every cart that crossed it in the rain.",
        "The deepest well in the valley was dug by a child who refused to stop."]
    assert [quote["comment"] for quote in quotes] == [
        "Same image as the opening of chapter two.", ""]


def test_zotero_annotations_split_passage_citation_and_comment() -> None:
    quotes = read("zotero")["quotes"]
    assert [quote["text"] for quote in quotes] == [
        "A road paved with salt remembers every cart that crossed it in the rain.",
        "Merchants who travel light arrive first and leave with the least.",
        "The deepest well in the valley was dug by a child who refused to stop."]
    assert [quote["comment"] for quote in quotes] == ["The opening image, again.", "", ""]
    assert [quote["places"] for quote in quotes] == [
        [["Page 12", ""]], [["Page 31", ""]], [["Page 44", ""]]]


def test_pdf_plus_callouts_read_the_nested_passage_its_page_and_the_comment() -> None:
    quotes = read("pdf-plus")["quotes"]
    assert [quote["text"] for quote in quotes] == [
        "A road paved with salt remembers every cart that crossed it in the rain.",
        "Merchants who travel light arrive first and leave with the least."]
    assert [quote["comment"] for quote in quotes] == ["The opening image, again.", ""]
    assert [quote["places"] for quote in quotes] == [[["Page 12", ""]], [["Page 31", ""]]]


def test_an_empty_highlights_heading_announces_the_chapters_after_it() -> None:
    quotes = read("chapter-sections")["quotes"]
    assert [quote["text"][:30] for quote in quotes] == [
        "A road paved with salt remembe", "Merchants who travel light arr",
        "The deepest well in the valley"]
    assert [quote["section"] for quote in quotes] == ["Leaving Port", "Leaving Port",
                                                      "The Dry Wells"]


def test_bullets_wholly_in_quotation_marks_or_italics_are_highlights_under_any_heading() -> None:
    quotes = read("quoted-bullets")["quotes"]
    assert [quote["text"] for quote in quotes] == [
        "A road paved with salt remembers every cart that crossed it in the rain.",
        "Merchants who travel light arrive first and leave with the least."]
    assert quotes[0]["places"] == [["Page 12", ""]]


def test_kindle_notebook_headings_give_each_highlight_its_place_and_note() -> None:
    book = read("kindle-notebook")
    assert book["author"] == "Odile Ferrant"
    quotes = book["quotes"]
    assert [quote["text"][:24] for quote in quotes] == [
        "A road paved with salt r", "Merchants who travel lig"]
    assert [quote["comment"] for quote in quotes] == [
        "Same image as the opening of chapter two.", ""]
    assert [quote["places"] for quote in quotes] == [[["Location 180", ""]], [["Page 14", ""]]]


def test_omnivore_jump_links_end_the_passage_and_the_note_follows() -> None:
    quotes = read("omnivore")["quotes"]
    assert [quote["text"] for quote in quotes] == [
        "A road paved with salt remembers every cart that crossed it in the rain.",
        "Merchants who travel light arrive first and leave with the least."]
    assert [quote["comment"] for quote in quotes] == [
        "", "Same image as the opening of chapter two."]


def test_editor_marks_inside_a_highlight_never_reach_the_card() -> None:
    quotes = read("editor-marks")["quotes"]
    assert [quote["text"] for quote in quotes] == [
        "A road paved with salt remembers every cart that crossed it in the rain.",
        "Merchants who travel light arrive first and leave with the least.",
        "The deepest well in the valley was dug by a child who refused to stop.",
        "Maps drawn in the hand are wiped away wherever the traveller goes.",
        "Nets are mended on the days when nobody goes out to sea at all."]
    assert quotes[3]["comment"] == "like the tide chapter"


def test_a_highlight_written_as_a_heading_is_a_highlight_and_a_chapter_title_is_not() -> None:
    quotes = read("heading-quotes")["quotes"]
    assert [quote["text"] for quote in quotes] == [
        "A road paved with salt remembers every cart that crossed it in the rain.",
        "Merchants who travel light arrive first.",
        "The deepest well in the valley was dug by a child who refused to stop."]
    assert quotes[2]["section"] == "Why Do Caravans Turn Back?"


def test_a_kindle_notebook_copied_from_the_web_splits_at_each_stamp() -> None:
    quotes = read("kindle-web-notebook")["quotes"]
    assert [quote["text"][:24] for quote in quotes] == [
        "A road paved with salt r", "Merchants who travel lig", "The deepest well in the "]
    assert [quote["comment"] for quote in quotes] == [
        "Same image as the opening of chapter two.", "", ""]
    assert [quote["places"] for quote in quotes] == [
        [["Location 180", ""]], [["Page 14", ""]], [["Location 220", ""]]]
