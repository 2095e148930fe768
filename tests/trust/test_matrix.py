"""Runs the permission matrix (see ``matrix.py``) and keeps it complete: a URL name of
the project that no case covers and that is not excluded with a reason fails."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from . import matrix

matrix.load_cases()


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + ([pattern.namespace] if pattern.namespace else [])
                walk(pattern, inner)
            elif isinstance(pattern, URLPattern):
                if pattern.name is None and namespace[:1] == ["admin"]:
                    # The admin's unnamed "<object_id>/" only redirects to the change page.
                    continue
                assert pattern.name, f"unnamed URL pattern {pattern.pattern}"
                names.add(":".join([*namespace, pattern.name]))

    walk(get_resolver(), [])
    return names


def test_it_covers_every_url_of_the_project():
    uncovered = url_names() - set(matrix.CASES) - set(matrix.EXCLUDED)
    assert not uncovered, f"URL names without a matrix case: {sorted(uncovered)}"


def test_it_names_no_url_that_does_not_exist():
    stale = (set(matrix.CASES) | set(matrix.EXCLUDED)) - url_names()
    assert not stale, f"matrix cases for URL names that no longer exist: {sorted(stale)}"


def test_it_excludes_only_with_a_reason():
    assert all(reason.strip() for reason in matrix.EXCLUDED.values())


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(matrix.CASES))
def test_each_persona_gets_what_its_levels_allow(name):
    world = matrix.World()
    problems = []
    for case in matrix.CASES[name]:
        problems += matrix.run_case(case, world)
    assert not problems, "\n".join(problems)
