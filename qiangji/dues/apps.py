from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "qiangji.dues"
    label = "dues"
    verbose_name = "党费"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from qiangji.core import navigation as nav

        nav.register(
            nav.NavEntry(
                "dues",
                _("党费"),
                "dues:month",
                icon="coin",
                order=60,
                section="work",
                prefix="/dues/",
                visible=nav.is_manager,
            )
        )
        nav.register(
            nav.NavEntry(
                "my-dues",
                _("我的党费"),
                "dues:mine",
                icon="coin",
                order=20,
                section="mine",
                visible=nav.has_member_record,
            )
        )
        # Imported here, not at the top: the services need the app registry to be ready.
        from qiangji.core import audit_labels
        from qiangji.dues import checks  # noqa: F401 - registers the payment settings checks
        from qiangji.dues.services.base import ACTION_LABELS
        from qiangji.dues.services.online import ACTION_LABELS as ONLINE_LABELS

        audit_labels.register(ACTION_LABELS)
        audit_labels.register(ONLINE_LABELS)
        # No member rows to register with core.paths: nothing of dues has to be rewritten when a member moves.
        # * The account, the income bases, the reductions and the suggestions (open or decided) carry no path
        #   of their own: they are scoped by the member's current branch (`member__org_path`), so they are on
        #   the receiving side the moment the member row moves — the unpaid months and open items go with
        #   the member, and the receiving branch collects from `paid_through` on.
        # * A payment keeps the path and organisation that collected it (`Payment.org_path_is_frozen`): what
        #   a branch took in is remitted by that branch (remittance and collection rates by collector), so
        #   paid history stays where it was paid, also when an organisation moves or merges.
        # schedule registers the nightly suggestions (core.schedule)
        from qiangji.dues import schedule, workbench  # noqa: F401

        workbench.register()  # dues to collect, arrears, decisions (core.workbench)
