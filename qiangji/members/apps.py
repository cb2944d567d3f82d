from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "qiangji.members"
    label = "members"
    verbose_name = "党员"

    def ready(self):
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
