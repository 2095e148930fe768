"""The admin covers every model of the project's apps, with filters and search, and
speaks German as the platform: translated filter titles and columns, the platform's
name in its header instead of "Django-Verwaltung"."""

from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils.functional import Promise

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


def project_models():
    for model in apps.get_models():
        path = Path(model._meta.app_config.path)
        # The project's own apps: under the checkout, but not the libraries of a .venv in it.
        if not path.is_relative_to(ROOT) or "site-packages" in path.parts:
            continue
        # django-simple-history's copies are shown on their model's history page.
        if model.__name__.startswith("Historical"):
            continue
        yield model


def project_admins():
    return [(model, admin.site._registry[model]) for model in project_models()]


def named_field(model, path: str):
    """The field at the end of a lookup such as ``poll__body``; None for a method."""
    field = None
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        model = field.related_model or model
    return field


def test_it_registers_every_model_of_the_projects_apps():
    missing = [m._meta.label for m in project_models() if m not in admin.site._registry]
    assert missing == []


def test_every_model_admin_has_list_filters_and_search():
    lacking = [
        model._meta.label
        for model, model_admin in project_admins()
        if not model_admin.list_filter or not model_admin.search_fields
    ]
    assert lacking == []


def test_every_column_and_filter_of_the_admin_has_a_translated_name():
    # A field without its own verbose_name shows its attribute name ("permission"),
    # which the German admin then prints as "Nach permission".
    untranslated = []
    for model, model_admin in project_admins():
        for label in ("verbose_name", "verbose_name_plural"):
            if not isinstance(getattr(model._meta, label), Promise):
                untranslated.append(f"{model._meta.label}.Meta.{label}")
        names = list(model_admin.list_display) + [
            entry if isinstance(entry, str) else entry[0]
            for entry in model_admin.list_filter
            if not isinstance(entry, type)
        ]
        for name in names:
            field = named_field(model, name) if isinstance(name, str) else None
            if field is not None and not isinstance(field.verbose_name, Promise):
                untranslated.append(f"{model._meta.label}.{name}")
    assert untranslated == []


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.mark.django_db
def test_the_german_admin_is_headed_with_the_platforms_name(superuser_client):
    content = superuser_client.get(reverse("admin:index")).content.decode()
    assert "Gemeinwohl-Plattform" in content
    assert "Django-Verwaltung" not in content
    assert "Django administration" not in content


@pytest.mark.django_db
def test_every_changelist_opens_in_german_without_english_filter_titles(superuser_client):
    for model, _model_admin in project_admins():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = superuser_client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        for english in ("Nach permission", "Nach nach", "Nach group", "Nach by", "Speaker"):
            assert english not in content, (url, english)
