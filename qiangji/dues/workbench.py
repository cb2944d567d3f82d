"""Dues' to-dos on the work bench (core.workbench), registered from `DuesConfig.ready()`: this month's dues
still to collect, members in arrears up to last month, suggestions (lapse / lost contact) and hardship
reductions waiting for a decision.  Each a SQL count over the user's scope, linked to the page listing
exactly those (the month table, the arrears list, the suggestions, the reductions)."""

from django.urls import reverse

from qiangji.core import dates, workbench
from qiangji.core.choices import Action
from qiangji.core.scoping import scope_of
from qiangji.dues import months, selectors
from qiangji.dues.choices import ReductionStatus, SuggestionStatus
from qiangji.dues.models import DuesAccount, HardshipReduction, Suggestion
from qiangji.members.models import Member


def _staff(user) -> bool:
    scope = scope_of(user)
    return scope.is_superuser or bool(scope.paths_for(Action.CHANGE))


def dues_todos(user) -> list[dict]:
    if not _staff(user):
        return []
    today = dates.today()
    this_month = dates.first_of_month(today)
    last_month = months.shift(this_month, -1)
    lines = []
    collect = selectors.month_counts(Member.objects.visible_to(user, Action.CHANGE), this_month)["unpaid"]
    if collect:
        lines.append(
            workbench.todo(
                "info",
                f"{this_month.year}年{this_month.month}月党费：{collect} 名党员尚未交纳",
                reverse("dues:month") + f"?month={this_month:%Y-%m}",
                count=collect,
                key=f"dues.collect.{this_month:%Y%m}",
            )
        )
    owing = selectors.arrears(DuesAccount.objects.visible_to(user, Action.CHANGE), last_month).count()
    if owing:
        lines.append(
            workbench.todo(
                "warning",
                f"截至{last_month.year}年{last_month.month}月：{owing} 名党员欠交党费",
                reverse("dues:arrears") + f"?month={last_month:%Y-%m}",
                count=owing,
                key="dues.arrears",
            )
        )
    open_suggestions = (
        Suggestion.objects.visible_to(user, Action.CHANGE).filter(status=SuggestionStatus.OPEN).count()
    )
    if open_suggestions:
        lines.append(
            workbench.todo(
                "warning",
                f"{open_suggestions} 条不交党费、失去联系的处置建议待决定",
                reverse("dues:suggestions"),
                count=open_suggestions,
                key="dues.suggestions",
            )
        )
    reductions = (
        HardshipReduction.objects.visible_to(user, Action.CHANGE)
        .filter(status__in=[ReductionStatus.PROPOSED, ReductionStatus.AGREED])
        .count()
    )
    if reductions:
        lines.append(
            workbench.todo(
                "info",
                f"{reductions} 项少交、免交党费申请待审批",
                reverse("dues:reductions"),
                count=reductions,
                key="dues.reductions",
            )
        )
    return lines


def register() -> None:
    workbench.register_todos("dues.todos", dues_todos, order=60)
