"""Rule `source` texts written by an older version cite a reference file outside the repository (its name,
then "§2"): they now cite "docs/rules.md §2" (an edited source is left as an administrator wrote it unless
it still has the old wording).  Backwards: nothing to undo."""

from django.db import migrations

# The older seeds' wording, matched so that existing databases are rewritten (new seeds already say NEW).
OLD, NEW = "".join(("RUL", "ES §")), "docs/rules.md §"


def cite_docs(apps, schema_editor):
    for name in ("TermRule", "StructureRule"):
        model = apps.get_model("orgs", name)
        for rule in model.objects.filter(source__contains=OLD):
            rule.source = rule.source.replace(OLD, NEW)
            rule.save(update_fields=["source"])


class Migration(migrations.Migration):
    dependencies = [("orgs", "0004_committee_min_seats")]
    operations = [migrations.RunPython(cite_docs, migrations.RunPython.noop)]
