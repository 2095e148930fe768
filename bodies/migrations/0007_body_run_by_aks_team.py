from django.db import migrations, models

# The bodies the AKS team runs: the Steuerungsrunde (and its administration-internal
# round), the team itself and the Trägerverein's assemblies. The Kernkreis belongs to
# an independent citizens' platform and stays with its own chairs.
RUN_BY_AKS_TEAM = [
    "steuerungsrunde",
    "verwaltungsinterne-steuerungsrunde",
    "aks-team",
    "traegerverein",
]


def mark_the_team_bodies(apps, schema_editor):
    Body = apps.get_model("bodies", "Body")
    Body.objects.filter(slug__in=RUN_BY_AKS_TEAM).update(run_by_aks_team=True)


class Migration(migrations.Migration):
    dependencies = [
        ("bodies", "0006_body_minutes_approval_path"),
    ]

    operations = [
        migrations.AddField(
            model_name="body",
            name="run_by_aks_team",
            field=models.BooleanField(
                default=False,
                help_text="The AKS staff manage this body's polls and members.",
                verbose_name="run by the AKS team",
            ),
        ),
        migrations.RunPython(mark_the_team_bodies, migrations.RunPython.noop),
    ]
