"""The members app's benchmarks (found by `qiangji bench`'s autodiscovery of `<app>.bench`):

- `search` (search.py): the subtree member search at every level against a sequential scan;
- `import` (import_roster.py, with roster.py: a valid roster of N rows and a scratch tree): the roster
  import against PostgreSQL COPY.
"""

from qiangji.members.bench import import_roster, search  # noqa: F401  (importing them registers "import" and "search")
