"""The seeded term and structure rules cite docs/rules.md (the rules document inside the repository),
not RULES.md: "RULES §2" in each `source` text becomes "docs/rules.md §2" (an edited source is left as
an administrator wrote it unless it still says "RULES §").  Backwards: nothing to undo."""

from django.db import migrations


def cite_docs(apps, schema_editor):
    for name in ("TermRule", "StructureRule"):
        model = apps.get_model("orgs", name)
        for rule in model.objects.filter(source__contains="RULES §"):
            rule.source = rule.source.replace("RULES §", "docs/rules.md §")
            rule.save(update_fields=["source"])


class Migration(migrations.Migration):
    dependencies = [("orgs", "0004_committee_min_seats")]
    operations = [migrations.RunPython(cite_docs, migrations.RunPython.noop)]
