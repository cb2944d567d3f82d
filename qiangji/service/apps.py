"""The request desk (接诉即办): intake, routing up the ladder, claims, closure, figures."""

from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "qiangji.service"
    label = "service"
    verbose_name = "接诉即办"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from qiangji.core import navigation as nav

        nav.register(
            nav.NavEntry(
                "service", _("接诉即办"), "service:home", icon="headset", order=65, prefix="/service/"
            )
        )
        # Imported here, not at the top: models and services need the app registry to be ready.
        from qiangji.core import audit_labels, workbench
        from qiangji.service import schedule  # noqa: F401 (registers the periodic jobs)
        from qiangji.service.selectors import todos
        from qiangji.service.services.base import ACTION_LABELS, TARGET_URLS

        audit_labels.register(ACTION_LABELS)
        for target_type, url_name in TARGET_URLS.items():
            audit_labels.register_target_url(target_type, url_name)
        workbench.register_todos("service.todos", todos, order=65)
