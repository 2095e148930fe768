"""The instruments that can secure a space, and the neighbourhoods (Kieze) of
Friedrichshain-Kreuzberg. More can be added in the admin; the data is frozen here
so that later code changes do not alter what this migration did."""

from django.db import migrations

INSTRUMENTS = [
    (
        "vorkaufsrecht",
        "Vorkaufsrecht",
        "Der Bezirk tritt beim Verkauf eines Grundstücks in einem Erhaltungsgebiet an die "
        "Stelle des Käufers oder wendet den Kauf mit einer Abwendungsvereinbarung ab.",
    ),
    (
        "konzeptverfahren",
        "Konzeptverfahren",
        "Vergabe öffentlicher Grundstücke nach der Qualität des Nutzungskonzepts statt "
        "zum Höchstpreis.",
    ),
    (
        "anhandgabe",
        "Anhandgabe",
        "Eine Gruppe erhält für eine Frist das exklusive Recht, ein Konzept und die "
        "Finanzierung für ein Grundstück auszuarbeiten.",
    ),
    (
        "erbbaurecht",
        "Erbbaurecht",
        "Das Grundstück bleibt öffentlich; die Nutzer*innen bauen und nutzen es für "
        "Jahrzehnte gegen einen Erbbauzins.",
    ),
    (
        "zwischennutzung",
        "Zwischennutzung",
        "Befristete Nutzung eines leerstehenden Raums, bis eine dauerhafte Lösung gefunden ist.",
    ),
]

NEIGHBOURHOODS = [
    "Boxhagener Kiez",
    "Samariterkiez",
    "Karl-Marx-Allee",
    "Stralau",
    "Bergmannkiez",
    "Graefekiez",
    "Wrangelkiez",
    "Reichenberger Kiez",
    "Mehringplatz",
]


def create(apps, schema_editor):
    Instrument = apps.get_model("spaces", "Instrument")
    District = apps.get_model("spaces", "District")
    for position, (slug, name, description) in enumerate(INSTRUMENTS):
        Instrument.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    for position, name in enumerate(NEIGHBOURHOODS):
        District.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("spaces", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
