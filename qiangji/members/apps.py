from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "qiangji.members"
    label = "members"
    verbose_name = "党员"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from qiangji.core import navigation as nav

        nav.register(
            nav.NavEntry(
                "members",
                _("党员"),
                "members:list",
                icon="users",
                order=20,
                section="work",
                prefix="/members/",
                visible=nav.is_manager,
            )
        )
        # 我的: a member's own things (each shown when its URL resolves; study is the education app's page).
        nav.register(
            nav.NavEntry(
                "my-record",
                _("我的档案"),
                "members:mine",
                icon="id",
                order=10,
                section="mine",
                visible=nav.has_member_record,
                prefix="/members/mine/",
            )
        )
        nav.register(
            nav.NavEntry(
                "my-study",
                _("我的学习"),
                "education:my-year",
                icon="book",
                order=40,
                section="mine",
                visible=nav.has_member_record,
            )
        )
        nav.register(
            nav.NavEntry(
                "imports",
                _("导入"),
                "imports:new",
                icon="upload",
                order=70,
                section="system",
                visible=nav.may_import,
                prefix="/imports/",
            )
        )
        from qiangji.core import audit_labels, paths
        from qiangji.members import selectors
        from qiangji.members.models import MemberStatusEvent, PositionRecord, RewardPunishment
        from qiangji.members.services.base import ACTION_LABELS
        from qiangji.orgs import membership

        audit_labels.register(ACTION_LABELS)
        # A member's own dated rows follow the member who moves (the move service updates the Member row).
        for model in (MemberStatusEvent, RewardPunishment, PositionRecord):
            paths.register_member_rows(model, member_field="member")
        # The tree asks the members app about its members (orgs sits below members and never imports it).
        membership.register(**{name: getattr(selectors, name) for name in membership.READERS})
