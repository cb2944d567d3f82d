"""Demo and scale data (`qiangji generate`): a real county's organisations and ~20,000 members, or a
whole province (150,000 organisations, 3 million members) written with PostgreSQL COPY.

Modules: `places` (real names and codes), `tree` (materialised paths), `orgs` (a county's shape),
`people` (member rows), `committees`, `writers` (bulk_create / COPY), `accounts` (the demo accounts),
`history` (every app's history: the parts registered from `<app>/demo.py`) and `run` (the whole run).
"""

from qiangji.tooling.generate.run import SCALES, GenerateError, Plan, Result, generate, make_plan

__all__ = ["SCALES", "GenerateError", "Plan", "Result", "generate", "make_plan"]
