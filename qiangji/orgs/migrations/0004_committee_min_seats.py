"""A branch committee has 3 to 5 members (docs/rules.md §2, zbtl-2018): a 'committee' of one secretary is not one."""

from django.db import migrations

SOURCE = "《中国共产党支部工作条例（试行）》（zbtl-2018）；docs/rules.md §2：支部委员会由3至5人组成，一般不超过7人"


def seed(apps, schema_editor):
    apps.get_model("orgs", "StructureRule").objects.update_or_create(
        code="committee_min_seats", defaults={"title": "支部委员会委员最少（人）", "value": 3, "source": SOURCE})


def unseed(apps, schema_editor):
    apps.get_model("orgs", "StructureRule").objects.filter(code="committee_min_seats").delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0003_seed_rules")]
    operations = [migrations.RunPython(seed, unseed)]
