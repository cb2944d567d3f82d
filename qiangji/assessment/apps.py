from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "qiangji.assessment"
    label = "assessment"
    verbose_name = "考核评价"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from qiangji.core import navigation as nav

        # Shown once the app routes "assessment:home" (core.navigation leaves out entries that do not resolve).
        nav.register(
            nav.NavEntry(
                "assessment", _("考核评价"), "assessment:home", icon="star", order=68, prefix="/assessment/"
            )
        )
        from qiangji.assessment import selectors
        from qiangji.assessment.services.base import ACTION_LABELS, TARGET_URLS
        from qiangji.core import audit_labels, workbench

        workbench.register_todos("assessment.todos", selectors.todos, order=68)

        audit_labels.register(ACTION_LABELS)
        for target_type, url_name in TARGET_URLS.items():
            audit_labels.register_target_url(target_type, url_name)
