from django.db import migrations


def seed(apps, schema_editor):
    from qiangji.recruitment.rule_data import rows

    Rule = apps.get_model("recruitment", "Rule")
    for rule_set, values in rows():
        Rule.objects.update_or_create(rule_set=rule_set, code=values["code"], defaults=values)


def unseed(apps, schema_editor):
    apps.get_model("recruitment", "Rule").objects.filter(rule_set__in=["fzdy-2014", "fzdy-2026"]).delete()


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
