"""Scope-walk case for the periodic jobs page: a superuser's page; every role of the walk gets a 404."""

CASES = {
    "schedule": lambda world: {},
}
