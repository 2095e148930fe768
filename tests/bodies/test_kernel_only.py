"""The access kernel (with each app's rules.py) is the only code that reads roles,
superuser status, visibility levels or their order.

Everything else asks the kernel; a second encoding of a rule drifts from the first
(a superuser shortcut without the active-account check, a level order that forgets a
level). This scan finds such encodings in the project's Python sources and templates.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

FORBIDDEN = {
    "roles_of": re.compile(r"\broles_of\b"),
    "groups__name": re.compile(r"groups__name"),
    "groups.filter(name": re.compile(r"groups\.filter\(\s*name"),
    "a role-name constant": re.compile(
        r"\broles\.(V_INTERN|V_EXTERN|COUNCILLOR|ASSOCIATION_MEMBER|STAFF|TEAM|ALL)\b"
    ),
    "is_superuser": re.compile(r"is_superuser"),
    "a compared visibility": re.compile(r"visibility\s*[!=]="),
    "a compared level constant": re.compile(
        r"Visibility\.[A-Z_]+\s*[!=]=|[!=]=\s*Visibility\.|\bin\s*[(\[{]\s*Visibility\."
    ),
    "a compared level": re.compile(r"\blevel\s*[!=]="),
}

# Where the rules live, and what writes data rather than reading access: the kernel,
# the apps' rules built from it, the accounts app that defines roles and users, data
# seeding (demo data, bulk data, benchmarks, management commands, migrations), tests.
EXEMPT_FILES = ("bodies/access.py", "aks/portal/bulk.py")
EXEMPT_DIRS = ("aks/accounts/", "tests/", "scripts/")
EXEMPT_PARTS = ("migrations", "management")
SKIPPED_DIRS = (".venv", "node_modules", "var", "static", ".git")

# Remaining uses that are not an access decision, each with its reason: (path, the
# line's text, why).
ALLOWED = [
    (
        "aks/portal/privacy.py",
        "from aks.accounts.roles import roles_of",
        "the data export lists the account's roles as its stored data",
    ),
    (
        "aks/portal/privacy.py",
        '"roles": sorted(roles_of(user)),',
        "the data export lists the account's roles as its stored data",
    ),
    (
        "aks/portal/privacy.py",
        "user.is_superuser = False",
        "anonymising a person clears the account's flags, it decides nothing",
    ),
]


def _exempt(relative: str) -> bool:
    path = Path(relative)
    return (
        relative in EXEMPT_FILES
        or relative.startswith(EXEMPT_DIRS)
        or path.name == "rules.py"
        or path.name == "demo.py"
        or path.name.startswith("demo_")
        or any(part in EXEMPT_PARTS for part in path.parts)
    )


def _sources():
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(SKIPPED_DIRS) or not path.is_file():
            continue
        is_template = path.suffix in (".html", ".txt") and "templates" in path.parts
        if (path.suffix == ".py" or is_template) and not _exempt(relative):
            yield relative, path.read_text(encoding="utf-8")


def _findings():
    for relative, text in _sources():
        for number, line in enumerate(text.splitlines(), start=1):
            for name, pattern in FORBIDDEN.items():
                if pattern.search(line):
                    yield relative, number, line.strip(), name


def test_it_finds_no_rule_of_the_kernel_encoded_outside_it():
    allowed = {(path, text) for path, text, _reason in ALLOWED}
    found = [
        f"{path}:{number}: {name}: {line}"
        for path, number, line, name in _findings()
        if (path, line) not in allowed
    ]
    assert found == [], "ask bodies.access instead:\n" + "\n".join(found)


def test_every_allowed_use_still_exists():
    found = {(path, line) for path, _number, line, _name in _findings()}
    stale = [(path, text) for path, text, _reason in ALLOWED if (path, text) not in found]
    assert stale == []


def test_the_scan_catches_each_kind_of_encoding():
    samples = {
        "roles_of": "if roles.COUNCILLOR in roles_of(user):",
        "groups__name": 'Q(user__groups__name__in=["v-intern"])',
        "groups.filter(name": 'user.groups.filter(name="v-intern")',
        "a role-name constant": "roles.STAFF & names",
        "is_superuser": 'getattr(user, "is_superuser", False)',
        "a compared visibility": '{% if space.visibility != "public" %}',
        "a compared level constant": "if value in (Visibility.PUBLIC, Visibility.MEMBERS):",
        "a compared level": "if level == parent_level:",
    }
    missed = [name for name, line in samples.items() if not FORBIDDEN[name].search(line)]
    assert missed == []
