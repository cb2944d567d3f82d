from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "qiangji.orgs"
    label = "orgs"
    verbose_name = "党组织"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from qiangji.core import navigation as nav

        nav.register(
            nav.NavEntry(
                "orgs",
                _("组织"),
                "orgs:tree",
                icon="sitemap",
                order=10,
                section="work",
                prefix="/orgs/",
                visible=nav.is_manager,
            )
        )
        from qiangji.core import audit_labels
        from qiangji.orgs import workbench

        workbench.register()  # the home page's counts and term/structure alerts (core.workbench)

        audit_labels.register(
            {
                "orgs.organisation.created": "新建党组织",
                "orgs.organisation.updated": "修改党组织",
                "orgs.organisation.moved": "调整组织隶属关系",
                "orgs.organisation.merged": "合并党组织",
                "orgs.organisation.dissolved": "撤销党组织",
                "orgs.committee.elected": "换届选举",
                "orgs.grant.created": "授予角色",
                "orgs.grant.revoked": "撤销角色",
            }
        )
