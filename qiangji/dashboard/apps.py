from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "qiangji.dashboard"
    label = "dashboard"
    verbose_name = "一屏掌控"
