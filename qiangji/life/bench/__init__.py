"""The life app's benchmarks (found by `qiangji bench`'s autodiscovery of `<app>.bench`):

- `checkin` (checkin.py): concurrent QR check-ins against a real WSGI server (PostgreSQL);
- `compliance` (compliance.py): the province-wide compliance summary (PostgreSQL);
- data.py: their scratch data, built in bulk and removed afterwards.
"""

from qiangji.life.bench import checkin, compliance  # noqa: F401  (importing them registers "checkin" and "compliance")
