"""Committee and branch lists: arrears (with export), collection rates, remittance summaries."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.views.generic import TemplateView, View

from qiangji.core import exporting
from qiangji.core.exporting import ExportMixin
from qiangji.core.views import ScopedMixin, org_from_request
from qiangji.dues import months, selectors, services
from qiangji.dues.models import DuesAccount

ARREARS_HEADERS = [
    "党组织",
    "姓名",
    "每月应交（元）",
    "起交月份",
    "连续交至",
    "最早未交月份",
    "欠交月数",
    "欠交超过6个月",
]


def _ym(month) -> str:
    """Months as people write them in a list (2026-05), not as a date cell."""
    return f"{month:%Y-%m}" if month else ""


class ArrearsMixin(ScopedMixin):
    model = DuesAccount

    def arrears(self):
        org = org_from_request(self.request, default_to_scope=True)
        month = months.from_request(self.request, default=months.shift(services.today(), -1))
        accounts = self.get_queryset().filter(member__org_path__startswith=org.path)
        return org, month, selectors.arrears(accounts, month)

    def rows(self, accounts, month):
        today = services.today()
        return [selectors.arrears_row(account, month, today) for account in accounts]


class ArrearsView(ArrearsMixin, TemplateView):
    """Members with an unpaid month up to the chosen month (default: last month)."""

    template_name = "dues/arrears.html"

    def get_context_data(self, **kwargs):
        org, month, accounts = self.arrears()
        page = Paginator(accounts, 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(**kwargs) | {
            "org": org,
            "month": month,
            "page_obj": page,
            "rows": self.rows(page.object_list, month),
            "query": f"org={org.pk}&month={month:%Y-%m}",
        }


class ArrearsExportView(ArrearsMixin, View):
    """The arrears list as xlsx or csv (`?fmt=`), same scope and filters as the page."""

    def get(self, request):
        fmt = request.GET.get("fmt", "xlsx")
        if fmt not in exporting.FORMATS:
            raise Http404("不支持的导出格式")
        org, month, accounts = self.arrears()

        def lines():
            for row in self.rows(accounts.iterator(chunk_size=500), month):
                member = row.account.member
                yield [
                    member.organisation.name,
                    member.name,
                    row.account.amount_now,
                    _ym(row.account.start_month),
                    _ym(row.account.paid_through),
                    _ym(row.oldest_unpaid),
                    row.months_owed,
                    row.is_old,
                ]

        return exporting.export_response(
            ARREARS_HEADERS, lines(), fmt=fmt, filename=f"党费欠交名单-{org.name}-{month:%Y%m}"
        )


class RatesView(ExportMixin, LoginRequiredMixin, TemplateView):
    """Collection rate per organisation below the chosen one, for a month."""

    template_name = "dues/rates.html"

    def get_context_data(self, **kwargs):
        org = org_from_request(self.request, default_to_scope=True)
        month = months.from_request(self.request, default=months.shift(services.today(), -1))
        rows = selectors.collection_rates(org, month)
        due = sum(row["due_members"] for row in rows)
        paid = sum(row["paid_members"] for row in rows)
        return super().get_context_data(**kwargs) | {
            "org": org,
            "month": month,
            "rows": rows,
            "total_due": due,
            "total_paid": paid,
            "total_rate": round(paid * 100 / due, 1) if due else None,
        }


class RemittanceView(ExportMixin, LoginRequiredMixin, TemplateView):
    """Dues collected per organisation below the chosen one and month, for remitting upwards."""

    template_name = "dues/remittance.html"

    def get_context_data(self, **kwargs):
        org = org_from_request(self.request, default_to_scope=True)
        last = months.from_request(self.request, "to")
        first = months.from_request(self.request, "from", default=months.shift(last, -2))
        rows = selectors.remittance(org, first, last)
        totals = {key: sum(row[key] for row in rows) for key in ("regular", "voluntary", "centre", "total")}
        return super().get_context_data(**kwargs) | {
            "org": org,
            "first": first,
            "last": last,
            "rows": rows,
            "totals": totals,
        }
