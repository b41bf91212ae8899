"""Each chapter's exercises climb: warm-up, then compute, then derive, then code.

Every bank entry states its level (``Exercise.level``). The level must agree with the rest of
the entry: code to write is ``style == "code"``; a derivation or proof says derive, prove or
show in its prompt; a value read off an explorer is a computation; a warm-up is recall or one
step by hand, so never a function to write. Then no chapter may step down a level, in the bank
and in the notebooks students work through.
"""

import json
import re
from pathlib import Path

import pytest

from calcml.exercise_bank import EXERCISES, LEVELS, Exercise, exercises_for_chapter

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = range(1, 13)
ASKS_FOR_PROOF = re.compile(r"\b(derive|prove|show)\b", re.IGNORECASE)


def test_levels_are_ordered_and_required():
    assert LEVELS == ("warm-up", "compute", "derive", "code")
    ex = EXERCISES["01.1"]
    with pytest.raises(ValueError, match="level must be one of warm-up, compute, derive, code"):
        Exercise(ex.id, ex.kind, ex.style, ex.prompt, ex.expected, level="easy")
    with pytest.raises(TypeError, match="level"):
        Exercise(ex.id, ex.kind, ex.style, ex.prompt, ex.expected)


@pytest.mark.parametrize("ex", EXERCISES.values(), ids=list(EXERCISES))
def test_level_agrees_with_the_entry(ex):
    assert ex.level in LEVELS
    assert (ex.level == "code") == (ex.style == "code"), "code to write is style 'code'"
    if ex.style != "code":
        asks = bool(ASKS_FOR_PROOF.search(ex.prompt))
        assert asks == (ex.level == "derive"), "a derivation's prompt says derive/prove/show"
    if ex.style == "explore":
        assert ex.level == "compute", "reading a value off an explorer is a computation"
    if ex.level == "warm-up":
        assert ex.style == "by hand" and ex.kind != "function", "a warm-up is one step by hand"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_exercises_never_go_down_in_level(chapter):
    exercises = exercises_for_chapter(chapter)
    ranks = [LEVELS.index(ex.level) for ex in exercises]
    order = ", ".join(f"{ex.id} {ex.level}" for ex in exercises)
    assert ranks == sorted(ranks), order
    assert {"derive", "code"} <= {ex.level for ex in exercises}, order
    assert ranks[0] < LEVELS.index("derive"), order  # starts with a warm-up or a computation


def _ids_in_notebook(path: Path) -> tuple[list[str], list[str]]:
    """The ids of the ``## Exercise`` headings and of the ``submit(...)`` calls, in order."""
    headings, submits = [], []
    for cell in json.loads(path.read_text())["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and text.startswith("## Exercise "):
            headings.append(text.split("\n", 1)[0].split()[-1])
        if cell["cell_type"] == "code":
            submits += re.findall(r'^submit\("(\d\d\.\d+)"', text, re.MULTILINE)
    return headings, submits


@pytest.mark.parametrize("chapter", CHAPTERS)
@pytest.mark.parametrize("folder", ["exercises", "solutions"])
def test_notebooks_follow_the_bank_order(folder, chapter):
    (path,) = (ROOT / folder).glob(f"{chapter:02d}_*.ipynb")
    ids = [ex.id for ex in exercises_for_chapter(chapter)]
    headings, submits = _ids_in_notebook(path)
    assert headings == ids, path.name
    assert submits == ids, path.name


@pytest.mark.parametrize("chapter", CHAPTERS)
@pytest.mark.parametrize("folder", ["exercises", "solutions"])
def test_notebooks_show_the_bank_prompts_word_for_word(folder, chapter):
    """The prompt a student reads is the one the grader's bank judges (whitespace aside)."""
    (path,) = (ROOT / folder).glob(f"{chapter:02d}_*.ipynb")
    cells = json.loads(path.read_text())["cells"]
    shown = [" ".join("".join(c["source"]).split()) for c in cells if c["cell_type"] == "markdown"]
    missing = [
        ex.id
        for ex in exercises_for_chapter(chapter)
        if not any(" ".join(ex.prompt.split()) in text for text in shown)
    ]
    assert not missing, f"{path.name}: prompts differ from the bank for {missing}"
