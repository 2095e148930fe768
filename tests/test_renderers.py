"""The form renderer draws <select> in Python: the same markup as Django's templates."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from aks.renderers import FormRenderer
from bodies.access import Visibility

CHOICES = [
    ("", "---------"),
    (1, "Eins & <zwei>"),
    ("drei", gettext_lazy("Public")),
    ("Gruppe <a>", [("g1", "In der Gruppe"), (2.5, mark_safe("<b>sicher</b>"))]),
    (datetime.date(2026, 11, 22), datetime.date(2026, 11, 22)),
    (1234567, 1234567),
]


class ExampleForm(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    chosen = forms.ChoiceField(
        choices=CHOICES,
        widget=forms.Select(attrs={"class": 'x"y', "disabled": True, "hidden": False}),
    )
    several = forms.MultipleChoiceField(choices=CHOICES)
    level = forms.ChoiceField(choices=Visibility.choices)
    maybe = forms.NullBooleanField()
    day = forms.DateField(widget=forms.SelectDateWidget(years=[2025, 2026]))


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"plain": "1", "chosen": "g1", "several": ["drei", "2.5"], "level": "team"},
        {"plain": "<script>", "maybe": "true", "day_year": "2026", "day_month": "11"},
    ],
)
@pytest.mark.parametrize("field", ["plain", "chosen", "several", "level", "maybe", "day"])
def test_it_renders_selects_exactly_as_django_does(data, field, monkeypatch):
    stock = str(ExampleForm(data or None, renderer=DjangoTemplates())[field])
    if field != "day":  # the date's three selects are included by a template
        monkeypatch.setattr(DjangoTemplates, "get_template", _no_template)
    fast = str(ExampleForm(data or None, renderer=FormRenderer())[field])
    assert fast == stock
    assert "<select" in fast


def _no_template(self, name):
    raise AssertionError(f"{name} rendered from its template")


def test_it_is_the_renderer_of_every_form(settings):
    assert settings.FORM_RENDERER == "aks.renderers.FormRenderer"
