from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "qiangji.dashboard"
    label = "dashboard"
    verbose_name = "一屏掌控"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from qiangji.core import navigation as nav

        nav.register(
            nav.NavEntry(
                "dashboard",
                _("一屏掌控"),
                "dashboard:home",
                icon="chart-dots",
                order=10,
                section="oversee",
                visible=nav.may_import,
                prefix="/dashboard/",
            )
        )
        from qiangji.core import audit
        from qiangji.dashboard import schedule  # noqa: F401 - registers the nightly rebuild (core.schedule)
        from qiangji.dashboard.jobs import nudge

        audit.add_listener(nudge)  # every audited write schedules a rollup refresh (ADR 0008)
