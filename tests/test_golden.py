"""Golden files: every note the sample and the bundled notes make, reviewed by eye.

The goldens are ``quote2anki cards --json`` output. After a deliberate change, regenerate them
with ``QUOTE2ANKI_UPDATE_GOLDEN=1 pytest tests/test_golden.py``, then read the diff before
committing: it is the exact change users will see on their cards.
"""

from __future__ import annotations

import json
import os

import pytest

from quote2anki import Vault

from conftest import GOLDEN, ROOT, SAMPLES

CASES = {
    "sample": (SAMPLES, "Designing Machine Learning Systems.md"),
    "notes": (ROOT, "notes"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_notes_match_golden(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, target = CASES[name]
    monkeypatch.chdir(folder)
    rows = [json.dumps(note.to_dict(), ensure_ascii=False) for note in Vault([target]).notes()]
    golden = GOLDEN / f"{name}.jsonl"
    if os.environ.get("QUOTE2ANKI_UPDATE_GOLDEN"):
        golden.write_text("\n".join(rows) + "\n", encoding="utf-8")
    expected = golden.read_text(encoding="utf-8").splitlines()
    assert rows == expected
