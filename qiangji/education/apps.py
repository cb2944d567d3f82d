from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "qiangji.education"
    label = "education"
    verbose_name = "党员教育"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from qiangji.core import navigation as nav

        # Shown once the app routes "education:home" (core.navigation leaves out entries that do not resolve).
        nav.register(
            nav.NavEntry(
                "education", _("党员教育"), "education:home", icon="school", order=66, prefix="/education/"
            )
        )
