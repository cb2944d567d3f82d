"""The education (百万党员进党校): the hours ledger, classes, online courses, exams, lecturers, broadcasts."""

from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "qiangji.education"
    label = "education"
    verbose_name = "党员教育"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from qiangji.core import audit_labels, paths, workbench
        from qiangji.core import navigation as nav
        from qiangji.education import schedule  # noqa: F401  (registers the periodic job)
        from qiangji.education.models import ChapterCompletion, HourEntry, WatchSession
        from qiangji.education.services.base import ACTION_LABELS
        from qiangji.education.todos import todos

        nav.register(
            nav.NavEntry(
                "education", _("党员教育"), "education:home", icon="school", order=66, prefix="/education/"
            )
        )
        audit_labels.register(ACTION_LABELS)
        workbench.register_todos("education.todos", todos, order=66)
        # A member's ledger rows and learning follow the member to the new branch (their hours are theirs).
        for model in (HourEntry, WatchSession, ChapterCompletion):
            paths.register_member_rows(model, member_field="member", region_field="region_code")
