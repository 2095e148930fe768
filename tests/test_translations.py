"""German is the default language, so its catalogue must be complete and current."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"


def test_every_german_message_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(CATALOGUE))
    assert not catalogue.metadata_is_fuzzy
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_placeholders_survive_translation():
    for entry in polib.pofile(str(CATALOGUE)).translated_entries():
        for placeholder in ("%(" + part for part in entry.msgid.split("%(")[1:]):
            name = placeholder.split(")")[0] + ")"
            translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
            for text in translations:
                assert name in text, f"{entry.msgid!r} lost {name}"


def test_the_catalogue_holds_every_message_in_the_code(tmp_path):
    if not shutil.which("xgettext"):
        reason = "GNU gettext (xgettext) is not installed"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    # makemessages writes next to the sources it reads, so it runs on a copy.
    source = tmp_path / "src"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "node_modules", "locale", "__pycache__", ".*_cache"
        ),
    )
    output = source / "catalogue"
    output.mkdir()
    (tmp_path / "catalogue_settings.py").write_text(
        f"from aks.settings import *  # noqa\nLOCALE_PATHS = [{str(output)!r}]\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "catalogue_settings",
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{source}",
    }
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "de"],
        cwd=source,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(output / "de" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE))}
    missing = sorted(e.msgid for e in fresh if (e.msgctxt, e.msgid) not in known)
    assert missing == [], "run `make messages` and translate: " + repr(missing)
