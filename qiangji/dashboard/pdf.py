"""A printable summary of a node for a meeting (会议材料): headline figures, the trend by month, the worst
children per indicator and the exception counts, rendered by `core.pdf.render_pdf` with a CJK font."""

from django.utils import timezone

from qiangji.core.dates import today
from qiangji.core.pdf import pdf_response, render_pdf
from qiangji.dashboard import figures as fig

TEMPLATE = "dashboard/pdf/summary.html"
WORST_IN_PDF = 5
TREND_MONTHS = 6  # an A4 page holds six month columns


def summary_context(org, crumbs) -> dict:
    data = fig.screen_data(org, WORST_IN_PDF)
    trend = data["trend"]
    return {
        **data,
        "org": org,
        "crumbs": crumbs,
        "generated_at": timezone.localtime(),
        "months": trend["months"][-TREND_MONTHS:],
        "trend_rows": [{"name": s["name"], "text": s["text"][-TREND_MONTHS:]} for s in trend["series"]],
    }


def summary_pdf(org, crumbs, *, request=None):
    data = render_pdf(TEMPLATE, summary_context(org, crumbs), request=request)
    return pdf_response(data, f"一屏掌控-{org.name}-{today():%Y%m%d}.pdf")
