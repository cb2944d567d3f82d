import django_tables2 as tables

from qiangji.orgs.models import Organisation


class OrganisationTable(tables.Table):
    name = tables.LinkColumn("orgs:detail", args=[tables.A("pk")], verbose_name="党组织全称")

    class Meta:
        model = Organisation
        fields = ("name", "kind", "category", "code", "region_code", "dissolved_on")
        attrs = {"class": "table"}
        empty_text = "没有符合条件的党组织"
        orderable = False
