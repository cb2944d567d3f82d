from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "qiangji.dues"
    label = "dues"
    verbose_name = "党费"
