"""docs/permissions.md is the permission matrix's current expectations."""

import os

import pytest

from . import matrix
from .permissions_table import COMMAND, DOCUMENT, WRITE_ENV, render


@pytest.mark.django_db
def test_the_committed_permissions_table_matches_the_matrix():
    text = render(matrix.World())
    if os.environ.get(WRITE_ENV):
        DOCUMENT.parent.mkdir(exist_ok=True)
        DOCUMENT.write_text(text, encoding="utf-8")
        return
    committed = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.exists() else ""
    assert committed == text, (
        f"docs/permissions.md does not match the matrix's cases; regenerate it with `{COMMAND}`"
    )
