from django.db import migrations


def drop_the_stored_election_result(apps, schema_editor):
    """Election decisions stored the result in German after the motion; it is now put in
    words at display time from the poll's stored result, in the reader's language."""
    Decision = apps.get_model("bodies", "Decision")
    decisions = Decision.objects.filter(poll__kind="election").select_related("poll")
    for decision in decisions:
        result_text = decision.poll.result_text
        if not result_text or not decision.text.endswith(result_text):
            continue
        decision.text = decision.text[: -len(result_text)].rstrip("\n")
        decision.save(update_fields=["text"])


class Migration(migrations.Migration):
    dependencies = [
        ("bodies", "0007_body_run_by_aks_team"),
    ]

    operations = [
        migrations.RunPython(drop_the_stored_election_result, migrations.RunPython.noop),
    ]
