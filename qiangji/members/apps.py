from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "qiangji.members"
    label = "members"
    verbose_name = "党员"

    def ready(self):
        from qiangji.core import audit_labels, paths
        from qiangji.members.models import MemberStatusEvent, PositionRecord, RewardPunishment
        from qiangji.members.services.base import ACTION_LABELS

        audit_labels.register(ACTION_LABELS)
        # A member's own dated rows follow the member who moves (the move service updates the Member row).
        for model in (MemberStatusEvent, RewardPunishment, PositionRecord):
            paths.register_member_rows(model, member_field="member")
