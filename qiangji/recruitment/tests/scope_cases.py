"""Scope-walk cases for the recruitment pages (see core/tests/test_scope_walk.py): every kwarg points
at a case in the FOREIGN county, and lists get one first so that a leak would show its name."""

import datetime

from qiangji.core import dates


def foreign_case(world):
    from qiangji.recruitment.tests.ui_factories import make_case

    return make_case(
        world.foreign_branch,
        name="外县党员发展对象",
        step=12,
        applied_on=dates.today() - datetime.timedelta(days=40),
    )


def with_foreign_case(world) -> dict:
    foreign_case(world)
    return {}


def foreign_pk(world) -> dict:
    return {"pk": foreign_case(world).pk}


CASES = {
    "recruitment:board": with_foreign_case,
    "recruitment:due": with_foreign_case,
    "recruitment:due-export": with_foreign_case,
    "recruitment:committee": with_foreign_case,
    "recruitment:case-create": with_foreign_case,
    "recruitment:form-ranges": with_foreign_case,
    "recruitment:case": foreign_pk,
    "recruitment:step": foreign_pk,
    "recruitment:override": foreign_pk,
    "recruitment:case-transfer": foreign_pk,
    "recruitment:dossier": foreign_pk,
    "recruitment:dossier-pdf": lambda world: {**foreign_pk(world), "slug": "checklist"},
}
CASES["recruitment-due"] = with_foreign_case
CASES["recruitment:plans"] = with_foreign_case


def foreign_audit(world):
    """A file audit of the foreign county with one sample and one finding."""
    from qiangji.recruitment.models import FileAudit, FileAuditFinding, FileAuditSample

    case = foreign_case(world)
    file_audit = FileAudit.objects.create(
        organisation=world.foreign_county,
        org_path=world.foreign_county.path,
        year=2026,
        seed="s",
        population=1,
        drawn_on=dates.today(),
    )
    sample = FileAuditSample.objects.create(audit=file_audit, case=case, org_path=case.org_path)
    finding = FileAuditFinding.objects.create(
        sample=sample, org_path=case.org_path, description="另一县某村党支部缺材料", found_on=dates.today()
    )
    return file_audit, sample, finding


def with_foreign_audit(world) -> dict:
    foreign_audit(world)
    return {}


CASES.update(
    {
        "recruitment:file-audits": with_foreign_audit,
        "recruitment:file-audit": lambda world: {"pk": foreign_audit(world)[0].pk},
        "recruitment:file-audit-sample": lambda world: {"pk": foreign_audit(world)[1].pk},
        "recruitment:file-audit-finding": lambda world: {"pk": foreign_audit(world)[2].pk},
    }
)
