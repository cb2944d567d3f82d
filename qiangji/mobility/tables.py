"""Tables of the two long lists (paginated through the shared core template)."""

import django_tables2 as tables

from qiangji.mobility.models import MobileFlow, Transfer


class TransferTable(tables.Table):
    number = tables.Column(verbose_name="编号", linkify=("mobility:transfer-detail", {"pk": tables.A("pk")}))
    member_name = tables.Column(verbose_name="姓名")
    from_org_name = tables.Column(verbose_name="转出")
    to_org_name = tables.Column(verbose_name="接收")
    expires_on = tables.DateColumn(verbose_name="有效期至", format="Y-m-d")
    status = tables.Column(verbose_name="状态")

    class Meta:
        model = Transfer
        fields = ("number", "member_name", "from_org_name", "to_org_name", "expires_on", "status")
        attrs = {"class": "table"}
        empty_text = "暂无记录"


class FlowTable(tables.Table):
    member = tables.Column(
        verbose_name="姓名",
        accessor="member__name",
        order_by=("member__name_pinyin",),
        linkify=("mobility:flow-detail", {"pk": tables.A("pk")}),
    )
    destination = tables.Column(
        verbose_name="流向", accessor="destination", order_by=("province", "city", "county")
    )
    employer = tables.Column(verbose_name="单位/平台")
    out_org = tables.Column(verbose_name="原支部", accessor="out_org__name")
    in_org = tables.Column(verbose_name="流入地支部", accessor="in_org__name", default="—")
    status = tables.Column(verbose_name="状态")

    class Meta:
        model = MobileFlow
        fields = ("member", "destination", "employer", "out_org", "in_org", "status")
        attrs = {"class": "table"}
        empty_text = "暂无记录"
