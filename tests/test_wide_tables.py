"""Every data table of the templates scrolls inside its own named, keyboard-reachable box,
so a wide table never scrolls the whole page sideways on a phone."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Narrow tables (two or three columns, or four short ones) on pages that others are
# reworking; they fit a phone without a box of their own.
NARROW = {
    "bodies/templates/bodies/poll_detail.html",
    "bodies/templates/bodies/poll_list.html",
    "meetings/templates/meetings/minutes.html",
    "meetings/templates/meetings/public/_survey_results.html",
}

TABLE = re.compile(r'<table class="data-table')
WRAPPER = re.compile(
    r'<div class="table-scroll" role="region" tabindex="0" aria-label="[^"]+">\s*$'
)


def templates():
    for app in ("aks", "bodies", "meetings", "spaces", "oparl", "templates"):
        yield from (ROOT / app).rglob("*.html")


def test_it_wraps_every_data_table_in_a_scroll_box():
    unwrapped = []
    wrapped = 0
    for path in templates():
        relative = path.relative_to(ROOT).as_posix()
        if relative in NARROW:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if TABLE.search(line):
                if number and WRAPPER.search(lines[number - 1]):
                    wrapped += 1
                else:
                    unwrapped.append(f"{relative}:{number + 1}")
    assert not unwrapped, f"data tables without a table-scroll box: {unwrapped}"
    assert wrapped > 15


def test_the_scroll_box_scrolls_sideways_and_tables_no_longer_stack():
    stylesheet = (ROOT / "static" / "css" / "aks.css").read_text(encoding="utf-8")
    assert re.search(r"\.table-scroll\s*\{[^}]*overflow-x:\s*auto", stylesheet)
    assert not re.search(r"\.data-table\s+thead\s*\{[^}]*position:\s*absolute", stylesheet)
