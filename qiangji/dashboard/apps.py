from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "qiangji.dashboard"
    label = "dashboard"
    verbose_name = "一屏掌控"

    def ready(self):
        from qiangji.core import audit
        from qiangji.dashboard import schedule  # noqa: F401 - registers the nightly rebuild (core.schedule)
        from qiangji.dashboard.jobs import nudge

        audit.add_listener(nudge)  # every audited write schedules a rollup refresh (ADR 0008)
