"""Scope-walk cases for the import, export and job URLs (collected with every `scope_cases*.py`)."""

from qiangji.core.models import Job


def foreign_job(world):
    """A job created in the foreign county: every other role must get 404 for it."""
    return Job.objects.create(
        kind="members.import",
        created_by=world.users["foreign"],
        org_path=world.foreign_county.path,
        params={"file_name": "外县.csv"},
    )


CASES = {
    "imports:new": lambda world: {},
    "imports:job": lambda world: {"pk": foreign_job(world).pk},
    "imports:job-progress": lambda world: {"pk": foreign_job(world).pk},
    "imports:members-export": lambda world: {},  # the export is a list: foreign members are excluded
    "api-imports": lambda world: {},  # upload only; branches outside the scope are refused row by row
    "api-job-detail": lambda world: {"pk": foreign_job(world).pk},
}

EXEMPT = {
    "imports:template-xlsx": "the empty import template: headers only, no organisation data",
    "imports:template-csv": "the empty import template: headers only, no organisation data",
}
