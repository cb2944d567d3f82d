"""Scope-walk cases for the recruitment pages (see core/tests/test_scope_walk.py): every kwarg points
at a case in the FOREIGN county, and lists get one first so that a leak would show its name."""

import datetime


def foreign_case(world):
    from qiangji.recruitment.tests.ui_factories import make_case

    return make_case(world.foreign_branch, name="外县党员发展对象", step=12,
                     applied_on=datetime.date.today() - datetime.timedelta(days=40))


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
