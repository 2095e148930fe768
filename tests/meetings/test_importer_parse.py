"""The legacy pipe format: ragged bars, bullets, continuations, duplicates, bad files."""

import os
from pathlib import Path

import pytest

from meetings.importer import MalformedMinutes, parse

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_9f674d06e4b6917e.txt"


def test_it_reads_ragged_separators_tabs_and_bullets():
    parsed = parse(
        "AG1 | Leitfragen | ∙ Wer bringt was ein?\n"
        "AG1 |Diskussion\t |– Nur auf der Initiative aufbauen ist schwierig \n"
        "  AG1\t|  Einführende Worte|Willkommen\n"
    )
    assert [(e.section, e.text) for e in parsed.entries] == [
        ("guiding_question", "Wer bringt was ein?"),
        ("discussion", "Nur auf der Initiative aufbauen ist schwierig"),
        ("introduction", "Willkommen"),
    ]


def test_a_line_without_prefix_continues_the_entry_above():
    parsed = parse("AG1 | Ergebnis | Vergabe im Februar.\nDas soll uns alle entlasten.\n")
    (entry,) = parsed.entries
    assert entry.text == "Vergabe im Februar. Das soll uns alle entlasten."
    assert entry.continued_on == [2]


def test_an_exact_duplicate_is_kept_once_and_reported():
    parsed = parse("AG1 | Leitfragen | ∙ Wie gelingt es?\nAG1 | Leitfragen |∙ Wie  gelingt es?\n")
    assert len(parsed.entries) == 1
    assert parsed.duplicates == [(2, 1)]


def test_an_unknown_section_is_kept_as_a_note_and_reported():
    parsed = parse("AG1 | Termine | Nächstes Treffen am 3. März\n")
    assert parsed.entries[0].section == "note"
    assert parsed.unknown_sections == [(1, "Termine")]


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("Das ist keine Zeile im Format\nAG1 | Diskussion | x\n", 1),
        ("AG1 | Diskussion | ok\nAG1 | Diskussion\n", 2),
        ("AG1 | Diskussion | ok\n\nAG1 Diskussion | nur ein Strich\n", 3),
        ("AG1 | Diskussion | ok\n | Diskussion | ohne Gruppe\n", 2),
        ("AG1 | Diskussion |   \n", 1),
        ("\n\n", 1),
    ],
)
def test_a_malformed_file_names_its_first_bad_line(content, line):
    with pytest.raises(MalformedMinutes) as error:
        parse(content)
    assert error.value.line == line
    assert f"Zeile {line}:" in str(error.value)


def test_the_seed_minutes_of_ag1_parse_completely():
    if not SEED.exists():
        reason = f"seed 000 not found at {SEED}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    parsed = parse(SEED.read_text(encoding="utf-8"))
    questions = [e.text for e in parsed.entries if e.section == "guiding_question"]
    assert questions == [
        "Was kann Bezirk, WBM, BIM, was kann die Initiative? und der Senat?",
        "Worin liegt der Mehrwert der angestrebten Kooperation?",
        "Wie sieht eine gelingende Kooperation mit der Stadt aus?",
        "Was müssen wir aus den Fehlern der Vergangenheit lernen?",
    ]
    assert parsed.duplicates == [(4, 3)]
    joined = [e for e in parsed.entries if e.continued_on]
    assert len(joined) == 1
    assert joined[0].text.endswith("voraussichtlich im Februar. Das soll uns alle entlasten.")
    assert {e.section for e in parsed.entries} == {"guiding_question", "introduction", "discussion"}
    assert parsed.unknown_sections == []
    assert parsed.groups == {"AG1"}
