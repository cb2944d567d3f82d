from django.apps import AppConfig


class MobilityConfig(AppConfig):
    name = "qiangji.mobility"
    label = "mobility"
    verbose_name = "流动党员与组织关系转接"
