"""The request list's filter set, shared by the HTML page and the API."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone

from qiangji.core.filters import FilterSet
from qiangji.service.choices import Audience, Channel, Phase, Status, Tier
from qiangji.service.models import DeskRule, Request


class RequestFilter(FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=Status.choices)
    phase = django_filters.ChoiceFilter(label="办理状态", choices=Phase.choices)
    tier = django_filters.ChoiceFilter(label="当前层级", choices=Tier.choices)
    audience = django_filters.ChoiceFilter(label="诉求人类别", choices=Audience.choices)
    channel = django_filters.ChoiceFilter(label="渠道", choices=Channel.choices)
    overdue = django_filters.BooleanFilter(label="只看超过本级期限", method="filter_overdue")
    warning = django_filters.ChoiceFilter(
        label="预警",
        choices=[("red", "红色：24小时无响应"), ("yellow", "黄色：3天无进展")],
        method="filter_warning",
    )
    q = django_filters.CharFilter(label="编号或内容", method="filter_q")

    class Meta:
        model = Request
        fields = ("status", "phase", "tier", "audience", "channel")

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=Status.OPEN, paused_at__isnull=True, due_at__lt=timezone.now()).exclude(
            phase=Phase.ANSWERED
        )

    def filter_warning(self, queryset, name, value):
        now = timezone.now()
        rows = queryset.filter(status=Status.OPEN, paused_at__isnull=True).exclude(phase=Phase.ANSWERED)
        if value == "red":
            hours = DeskRule.value_of(DeskRule.NO_RESPONSE_HOURS, 24)
            return rows.filter(
                responded_at__isnull=True, created_at__lt=now - datetime.timedelta(hours=hours)
            )
        if value == "yellow":
            days = DeskRule.value_of(DeskRule.NO_PROGRESS_DAYS, 3)
            return rows.filter(
                responded_at__isnull=False, last_progress_at__lt=now - datetime.timedelta(days=days)
            )
        return queryset

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()[:100]
        return (
            queryset.filter(Q(number__icontains=value) | Q(description__contains=value))
            if value
            else queryset
        )
