from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "qiangji.service"
    label = "service"
    verbose_name = "接诉即办"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from qiangji.core import navigation as nav

        # Shown once the app routes "service:home" (core.navigation leaves out entries that do not resolve).
        nav.register(
            nav.NavEntry(
                "service", _("接诉即办"), "service:home", icon="headset", order=65, prefix="/service/"
            )
        )
