"""GIN indexes for the site search (aks/portal/search.py).

The search spans models of three apps; its indexes live here, with the search, as
expression indexes over exactly the weighted document `search.document_vector`
builds (a test keeps SEARCHED in step with `search.TYPES`). PostgreSQL only: the
SQLite fallback searches with icontains."""

from functools import reduce

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIG = "german"

# (key, app, model, weight-A fields, weight-B fields), frozen as of this migration.
SEARCHED = (
    ("body", "bodies", "Body", ("name", "short_name"), ("description",)),
    ("meeting", "meetings", "Meeting", ("title",), ("description", "place")),
    ("agenda_item", "meetings", "AgendaItem", ("title",), ("description",)),
    ("minute_entry", "meetings", "MinuteEntry", (), ("text",)),
    ("guiding_question", "meetings", "GuidingQuestion", ("text",), ("answer",)),
    ("decision", "bodies", "Decision", ("title",), ("text",)),
    ("commitment", "meetings", "Commitment", ("what",), ()),
    ("space", "spaces", "Space", ("name",), ("address", "description", "contested_reason")),
    ("workstream", "bodies", "Workstream", ("title",), ("description",)),
)


def _index(key, title_fields, text_fields):
    parts = [
        SearchVector(*fields, config=CONFIG, weight=weight)
        for fields, weight in ((title_fields, "A"), (text_fields, "B"))
        if fields
    ]
    return GinIndex(reduce(lambda a, b: a + b, parts), name=f"{key}_search_gin"[:30])


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for key, app_label, model_name, title_fields, text_fields in SEARCHED:
        model = apps.get_model(app_label, model_name)
        schema_editor.add_index(model, _index(key, title_fields, text_fields))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for key, app_label, model_name, title_fields, text_fields in SEARCHED:
        model = apps.get_model(app_label, model_name)
        schema_editor.remove_index(model, _index(key, title_fields, text_fields))


class Migration(migrations.Migration):
    dependencies = [
        ("bodies", "0004_timestamps"),
        ("meetings", "0004_timestamps"),
        ("spaces", "0002_instruments_and_neighbourhoods"),
    ]

    operations = [migrations.RunPython(create, drop)]
