"""Stored search documents for the site search (aks/portal/search.py).

0001 indexed the weighted document as an expression, which made matching fast but
left ranking to recompute ``to_tsvector`` for every match (a third of a second for the
21,000 minute entries a common word finds at scale 1). This replaces each expression
index with a stored generated column, ``search_document``, holding the same document,
and a GIN index on it: the database keeps the column up to date on every write, and
matching and ranking read it instead of parsing the text again.

The column is not a model field, on purpose:
- a ``GeneratedField`` would be selected by every query of these nine models (meeting
  pages, minutes, lists), carrying a tsvector as large as the text to pages that never
  search;
- its expression (``to_tsvector``) does not exist on SQLite, where development runs
  and the search falls back to ``icontains``.
So it exists on PostgreSQL only, and the search reaches it by name
(``search.StoredDocument``). A test keeps SEARCHED in step with ``search.TYPES``.

Changing one of these columns' types later needs the column dropped and added again
(PostgreSQL refuses to alter a column a generated column depends on): do it here.
"""

from django.db import migrations

CONFIG = "german"
COLUMN = "search_document"

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


def index_name(key: str) -> str:
    return f"{key}_search_gin"[:30]


def document_sql(model, title_fields, text_fields, quote) -> str:
    """The weighted document, as ``search.document_vector`` builds it in 0001."""
    parts = []
    for fields, weight in ((title_fields, "A"), (text_fields, "B")):
        if not fields:
            continue
        text = " || ' ' || ".join(
            f"COALESCE({quote(model._meta.get_field(name).column)}, '')" for name in fields
        )
        parts.append(f"setweight(to_tsvector('{CONFIG}'::regconfig, {text}), '{weight}')")
    return " || ".join(parts)


def store(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for key, app_label, model_name, title_fields, text_fields in SEARCHED:
        model = apps.get_model(app_label, model_name)
        table = quote(model._meta.db_table)
        document = document_sql(model, title_fields, text_fields, quote)
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(index_name(key))}")
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN {quote(COLUMN)} tsvector "
            f"GENERATED ALWAYS AS ({document}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {quote(index_name(key))} ON {table} USING gin ({quote(COLUMN)})"
        )


def unstore(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for key, app_label, model_name, title_fields, text_fields in SEARCHED:
        model = apps.get_model(app_label, model_name)
        table = quote(model._meta.db_table)
        document = document_sql(model, title_fields, text_fields, quote)
        # Dropping the column drops its index; 0001's expression index comes back.
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {quote(COLUMN)}")
        schema_editor.execute(
            f"CREATE INDEX {quote(index_name(key))} ON {table} USING gin (({document}))"
        )


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_search_indexes")]

    operations = [migrations.RunPython(store, unstore)]
