"""The stored PDFs move to ``documents.RenderedDocument`` (keyed by kind and subject).

The old rows are a cache, not a record: they are dropped, not copied, and the first
request for a document renders it again. Their files are deleted with them so they
do not linger in the media storage unreferenced.
"""

from django.db import migrations


def delete_stored_files(apps, schema_editor):
    RenderedDocument = apps.get_model("meetings", "RenderedDocument")
    for document in RenderedDocument.objects.exclude(file="").iterator():
        try:
            document.file.delete(save=False)
        except OSError:
            pass  # already gone from the storage: nothing left to clean up


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0008_admin_verbose_names'),
        ('documents', '0001_rendered_documents_by_kind'),
    ]

    operations = [
        migrations.RunPython(delete_stored_files, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='RenderedDocument',
        ),
    ]
