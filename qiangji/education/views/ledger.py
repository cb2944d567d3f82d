"""Pages of the hours ledger: the learner's year, a member's year, coverage per organisation, exports,
outside training entered with evidence."""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from qiangji.core import exporting
from qiangji.core.choices import Action
from qiangji.core.dates import today
from qiangji.core.scoping import get_in_scope_or_404, scope_of
from qiangji.core.views import ScopedMixin, ServiceFormView, org_from_request
from qiangji.education import selectors, services
from qiangji.education.forms import TrainingForm
from qiangji.education.views.base import year_from
from qiangji.members.models import Member


def manages(user) -> bool:
    return user.is_superuser or bool(scope_of(user).paths_for(Action.VIEW))


class HomeView(ScopedMixin, View):
    """Managers go to coverage, learners to their own year."""

    def get(self, request):
        if manages(request.user):
            return redirect("education:coverage")
        return redirect("education:my-year")


class MyYearView(ScopedMixin, TemplateView):
    """The learner's own year, phone-first: hours by source, what is missing, completions."""

    template_name = "education/member_year.html"

    def get_context_data(self, **kwargs):
        year = year_from(self.request)
        member = services.learner_of(self.request.user)
        return super().get_context_data(**kwargs) | {
            "ledger": selectors.member_year(member, year),
            "year": year,
            "own": True,
            "title": _("我的学习"),
        }


class MemberYearView(ScopedMixin, TemplateView):
    template_name = "education/member_year.html"

    def get_context_data(self, **kwargs):
        year = year_from(self.request)
        member = get_in_scope_or_404(Member, self.request.user, self.kwargs["pk"], Action.VIEW)
        return super().get_context_data(**kwargs) | {
            "ledger": selectors.member_year(member, year),
            "year": year,
            "own": False,
            "may_change": scope_of(self.request.user).allows(Action.CHANGE, member.org_path),
            "title": _("%(name)s的学时") % {"name": member.name},
        }


class CoverageView(ScopedMixin, TemplateView):
    """Coverage and shortfall per organisation under the chosen one, then the members short of hours."""

    template_name = "education/coverage.html"

    def get_context_data(self, **kwargs):
        if not manages(self.request.user):
            raise Http404("您的账号没有管理的党组织")
        year = year_from(self.request)
        root = org_from_request(self.request, Action.VIEW, default_to_scope=True)
        rows = selectors.coverage_by_org(self.request.user, year, root)
        short = selectors.ledger_members(self.request.user, year, root).filter(short_hh__gt=0)[:200]
        return super().get_context_data(**kwargs) | {
            "year": year,
            "root": root,
            "rows": rows,
            "totals": selectors.coverage_totals(rows),
            "short_members": short,
            "rules": selectors.rule_rows(),
        }


EXPORT_HEADERS = [
    "党员",
    "所在党支部",
    "年度",
    "书记/委员",
    "应达学时",
    "支部学习学时",
    "其他来源学时",
    "合计学时",
    "差额学时",
]


class CoverageExportView(ScopedMixin, View):
    def get(self, request):
        if not manages(request.user):
            raise Http404("您的账号没有管理的党组织")
        fmt = request.GET.get("fmt", "xlsx")
        if fmt not in exporting.FORMATS:
            fmt = "xlsx"
        year = year_from(request)
        root = org_from_request(request, Action.VIEW, default_to_scope=True)
        members = selectors.ledger_members(request.user, year, root)
        rows = (
            [
                m.name,
                m.organisation.name,
                year,
                "是" if m.is_leader else "否",
                m.required_hh / 2,
                m.life_hh / 2,
                m.entries_hh / 2,
                m.total_hh / 2,
                m.short_hh / 2,
            ]
            for m in members.iterator(chunk_size=1000)
        )
        return exporting.export_response(
            EXPORT_HEADERS, rows, fmt=fmt, filename=f"学时台账-{year}-{today():%Y%m%d}"
        )


class TrainingCreateView(ScopedMixin, ServiceFormView):
    """Outside training for one member, with evidence (the member's organisation enters it)."""

    template_name = "education/form.html"
    form_class = TrainingForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.member = get_in_scope_or_404(Member, request.user, kwargs["pk"], Action.CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": _("登记外出培训学时"),
            "object": self.member,
            "multipart": True,
        }

    def perform(self, form):
        data = form.cleaned_data
        return services.record_training(
            actor=self.request.user,
            member=self.member,
            title=data["title"],
            held_on=data["held_on"],
            hours=data["hours"],
            provider=data["provider"],
            channel=data["channel"],
            concentrated=data["concentrated"],
            induction=data["induction"],
            evidence=data["evidence"],
        )

    def get_success_message(self, result) -> str:
        return _("已登记%(hours)s学时。") % {"hours": f"{result.hours:g}"}

    def get_success_redirect(self, result) -> str:
        return reverse("education:member-year", args=[self.member.pk]) + f"?year={result.year}"
