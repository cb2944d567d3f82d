from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qiangji.core"
    label = "core"
    verbose_name = "核心"

    def ready(self):
        # One contract on both databases: SQLite validates integer fields to the ranges PostgreSQL stores
        # (Django's SQLite backend allows 64 bits for every integer field), so the API's documented bounds and
        # its 400s are the same on the embedded database as in production.
        from django.db.backends.base.operations import BaseDatabaseOperations
        from django.db.backends.sqlite3 import base as sqlite_base  # base first: it imports its operations

        sqlite_base.DatabaseOperations.integer_field_range = BaseDatabaseOperations.integer_field_range

        from django.utils.translation import gettext_lazy as _

        from qiangji.core import security

        security.register_checks()  # `check --deploy`: the level-3 settings (docs/security.md)

        from qiangji.core import navigation as nav
        from qiangji.core import sms  # noqa: F401 - registers core.E101 (no console SMS outside DEBUG/demo)

        # The kernel's own nav entries (core.navigation); each app registers its own from its ready().
        nav.register(nav.NavEntry("home", _("首页"), "home", icon="home", order=0, prefix="/"))
        nav.register(
            nav.NavEntry(
                "audit",
                _("审计日志"),
                "audit-log",
                icon="history",
                order=80,
                section="system",
                visible=nav.may_audit,
            )
        )
        nav.register(
            nav.NavEntry(
                "api-docs",
                _("API 文档"),
                "api-docs",
                icon="api",
                order=90,
                section="system",
                visible=nav.is_manager,
            )
        )
        from qiangji.core import audit_labels, digest  # noqa: F401 - digest registers the daily to-do digest

        audit_labels.register({"core.workbench.digest": "发送每日待办汇总"})
