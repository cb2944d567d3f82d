"""Authority as data, and the citations corrected (docs/rules.md §1; issue #11 items 3 and 8).

- `AuthorityRule`: who may pre-review, approve admission, approve confirmation, approve an extension of
  probation and issue admission-form numbers, seeded from `rule_data.authority_rows()` for both rule sets.
- The `Rule` rows the refusals cite (`step13.reviewer_kind`, `step14.issuer_kind`,
  `step23.extension_approver_kind`, `step24.approver_kind`) are inserted.
- Every seeded `Rule` row's `source` (and `title`) is rewritten from `rule_data.rows()`: the 2014 article
  numbers of the reference notes (mentors 第九条, sponsors 第十四条, …, ☑ where read in secondary copies),
  and `fzdy-2026` rows cite 《中国共产党发展党员工作细则》（2026年修订） with "暂据2014年版第N条".  Only
  `source` and `title` change on existing rows (values, kinds and switches are left as they are).

Reversing leaves the texts (they are citations only) and deletes the inserted rows.
"""

from django.db import migrations, models

NEW_CODES = ("step13.reviewer_kind", "step14.issuer_kind", "step23.extension_approver_kind", "step24.approver_kind")


def forward(apps, schema_editor):
    from qiangji.recruitment.rule_data import PROVISIONAL_2026, XIZE, XIZE_2026, authority_rows, rows

    Rule = apps.get_model("recruitment", "Rule")
    AuthorityRule = apps.get_model("recruitment", "AuthorityRule")
    for rule_set, values in rows():
        updated = Rule.objects.filter(rule_set=rule_set, code=values["code"]).update(
            source=values["source"], title=values["title"])
        if not updated and values["code"] in NEW_CODES:
            Rule.objects.create(rule_set=rule_set, **values)
    # any other fzdy-2026 row (e.g. 0005's step-order rows) that names the 2014 document plainly
    for rule in Rule.objects.filter(rule_set="fzdy-2026", source__startswith=XIZE).exclude(
            source__startswith=XIZE_2026):
        rule.source = f"{XIZE_2026}{PROVISIONAL_2026}{rule.source[len(XIZE):]}"
        rule.save(update_fields=["source"])
    for values in authority_rows():
        AuthorityRule.objects.update_or_create(
            rule_set=values["rule_set"], action=values["action"], org_kind=values["org_kind"],
            org_category=values["org_category"], parent_category=values["parent_category"], defaults=values)


def backward(apps, schema_editor):
    apps.get_model("recruitment", "Rule").objects.filter(code__in=NEW_CODES).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('recruitment', '0005_rule_state_step_order'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuthorityRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('rule_set', models.CharField(max_length=20, verbose_name='规则集')),
                ('action', models.CharField(choices=[('pre_review', '预审（第13步）'), ('approval', '审批接收预备党员（第17步）'), ('confirmation_approval', '审批预备党员转正（第24步）'), ('extension', '审批延长预备期'), ('form_numbers', '发放入党志愿书编号')], max_length=30, verbose_name='事项')),
                ('org_kind', models.CharField(max_length=30, verbose_name='组织类型')),
                ('org_category', models.CharField(blank=True, help_text='空表示任何类别', max_length=30, verbose_name='组织类别')),
                ('parent_category', models.CharField(blank=True, help_text='非空：仅当上级为同类别党委（党工委）时适用', max_length=30, verbose_name='上级党委类别')),
                ('allowed', models.BooleanField(verbose_name='可以办理')),
                ('rule_code', models.CharField(help_text='拒绝时引用的规则（Rule.code）', max_length=60, verbose_name='规则代码')),
                ('reason', models.CharField(blank=True, max_length=200, verbose_name='不能办理的原因')),
                ('source', models.TextField(verbose_name='依据条文')),
            ],
            options={
                'verbose_name': '审批权限规则',
                'verbose_name_plural': '审批权限规则',
                'ordering': ['rule_set', 'action', '-parent_category', 'org_kind'],
                'constraints': [models.UniqueConstraint(fields=('rule_set', 'action', 'org_kind', 'org_category', 'parent_category'), name='recruitment_authority_unique')],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
