"""The printable summary of a node: a PDF with a CJK font, headline figures, trend, worst children, exceptions."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from qiangji.core.tests.test_pdf import embedded_font_names
from qiangji.dashboard.tests.test_views import built  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_the_summary_html_has_every_part(world, built, client_as):  # noqa: F811
    from qiangji.core.pdf import render_html
    from qiangji.dashboard.figures import indicators
    from qiangji.dashboard.pdf import TEMPLATE, summary_context
    from qiangji.dashboard.selectors import breadcrumbs

    html = render_html(
        TEMPLATE, summary_context(world.county, breadcrumbs(world.users["xian"], world.county))
    )
    assert "某县委党建工作汇总" in html and "一、核心指标" in html and "三、近期趋势" in html
    assert "四、各指标排名靠后的下级党组织" in html and "城关街道党工委" in html
    assert all(indicator.label in html for indicator in indicators())
    assert "欠交党费6个月以上的党员" in html and "完整度" in html


def test_the_pdf_is_a_pdf_with_chinese_text(world, built, client_as):  # noqa: F811
    response = client_as(world.users["xian"]).get(
        reverse("dashboard:summary-pdf", kwargs={"pk": world.county.pk})
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        response.content.startswith(b"%PDF")
        and "filename*=utf-8''" in response["Content-Disposition"].lower()
    )
    fonts = embedded_font_names(response.content)
    assert fonts and all(re.search(r"CJK|SC|Han|Hei", name) for name in fonts), fonts  # Chinese, never boxes
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, timeout=60
        ).stdout.decode()
        assert "党建工作汇总" in text and "核心指标" in text and "城关街道党工委" in text


@pytest.mark.parametrize("role", ["jiedao", "dangyuan", "nobody"])
def test_a_node_outside_the_scope_is_a_404(world, client_as, role):
    response = client_as(world.users[role]).get(
        reverse("dashboard:summary-pdf", kwargs={"pk": world.county.pk})
    )
    assert response.status_code == 404
