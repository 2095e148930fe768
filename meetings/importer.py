"""Reading minutes in the legacy pipe format (seed 000)::

    AG1 | Leitfragen | ∙ Was kann Bezirk, WBM, BIM, was kann die Initiative?
    AG1 |Einführende Worte |Jede/r bringt diejenigen Ressourcen ein …
    Das soll uns alle entlasten.          <- continues the entry above

Spaces and tabs around the bars are ragged, texts may start with a bullet, a line
without a prefix continues the previous entry, and a line that repeats an earlier
one exactly (after the whitespace is tidied) is imported once and reported.

This module only parses; ``meetings.services.import_minutes`` writes.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# German section names as they appear in the files -> MinuteSection values.
SECTIONS = {
    "leitfragen": "guiding_question",
    "leitfrage": "guiding_question",
    "einführende worte": "introduction",
    "einleitung": "introduction",
    "diskussion": "discussion",
    "ergebnis": "result",
    "ergebnisse": "result",
    "beschluss": "decision",
    "beschlüsse": "decision",
    "notiz": "note",
    "anmerkung": "note",
}

LINE = re.compile(r"^(?P<group>[^|]*?)\s*\|\s*(?P<section>[^|]*?)\s*\|(?P<text>.*)$")
BULLET = re.compile(r"^[\s∙•·–—\-*]+")
SPACES = re.compile(r"\s+")


class MalformedMinutes(ValueError):
    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(_("Line %(line)s: %(message)s") % {"line": line, "message": message})


@dataclass
class ParsedEntry:
    line: int
    group: str
    section: str  # a MinuteSection value
    raw_section: str
    text: str
    continued_on: list[int] = field(default_factory=list)


@dataclass
class ParsedMinutes:
    entries: list[ParsedEntry] = field(default_factory=list)
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (line, first line)
    unknown_sections: list[tuple[int, str]] = field(default_factory=list)
    groups: set[str] = field(default_factory=set)


def _tidy(text: str) -> str:
    return SPACES.sub(" ", BULLET.sub("", text)).strip()


def parse(content: str) -> ParsedMinutes:
    """Parse the whole file, or raise :class:`MalformedMinutes` naming the first bad line."""
    parsed = ParsedMinutes()
    seen: dict[tuple[str, str, str], int] = {}
    last: ParsedEntry | None = None
    # Files from word processors mix composed and decomposed umlauts; compare and
    # store one form.
    content = unicodedata.normalize("NFC", content)
    for number, raw in enumerate(content.splitlines(), start=1):
        line = raw.replace("\ufeff", "").rstrip()
        if not line.strip():
            continue
        if "|" not in line:
            if last is None:
                raise MalformedMinutes(
                    number, _("the file must start with a line like 'AG1 | section | text'.")
                )
            last.text = f"{last.text} {_tidy(line)}".strip()
            last.continued_on.append(number)
            continue
        match = LINE.match(line)
        if match is None:
            raise MalformedMinutes(
                number, _("expected 'group | section | text' with exactly two bars.")
            )
        group, raw_section = match["group"].strip(), SPACES.sub(" ", match["section"]).strip()
        text = _tidy(match["text"])
        if not group or not raw_section:
            raise MalformedMinutes(number, _("the group or the section is missing."))
        if not text:
            raise MalformedMinutes(number, _("the text is missing."))
        section = SECTIONS.get(raw_section.lower())
        if section is None:
            section = "note"
            parsed.unknown_sections.append((number, raw_section))
        key = (group.lower(), raw_section.lower(), text)
        if key in seen:
            parsed.duplicates.append((number, seen[key]))
            # Continuation lines of a repeated entry belong to the repeat, not the entry
            # before it, so they are dropped with it.
            last = ParsedEntry(number, group, section, raw_section, text)
            continue
        seen[key] = number
        parsed.groups.add(group)
        last = ParsedEntry(number, group, section, raw_section, text)
        parsed.entries.append(last)
    if not parsed.entries:
        raise MalformedMinutes(1, _("the file holds no entries."))
    return parsed
