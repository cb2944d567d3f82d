"""`qiangji rotate_keys`: re-encrypt every personal field (`qiangji.core.crypto.ENCRYPTED_FIELDS`) with the
current key and algorithm (QIANGJI_DATA_KEY, QIANGJI_FIELD_CIPHER) and recompute its blind index
(QIANGJI_BLIND_INDEX), in batches of `--batch` rows, one short transaction each (ADR 0003, ADR 0021).

Resumable: progress (the last primary key done per table) is kept in a `core.Job` row (kind
`core.rotate_keys`) written in each batch's transaction, so an interrupted run (kill, crash, Ctrl-C)
continues where it stopped when started again with the same settings. `--restart` starts from the first row.

To rotate: put the old secret in QIANGJI_DATA_KEYS_PREVIOUS, the new one in QIANGJI_DATA_KEY (and the
algorithms wanted), restart the app, run this; when it reports 0 rows left, the old secret may be removed.
"""

import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from qiangji.core import audit, crypto
from qiangji.core.models import Job

KIND = "core.rotate_keys"


def _target() -> dict:
    return {"cipher": crypto.cipher_name(), "kid": crypto.current_key().kid, "index": crypto.index_name()}


def _tables():
    for label, fields in crypto.ENCRYPTED_FIELDS.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        names = {field.name for field in model._meta.get_fields()}
        present = [(c, h) for c, h in fields if c in names and (h is None or h in names)]
        if present:
            yield label, model, present


def rotate_batch(model, fields, after_pk, batch: int) -> tuple[int, int, object]:
    """One batch after `after_pk`: (rows read, rows changed, last pk read)."""
    columns = ["pk", *(c for c, _h in fields), *(h for _c, h in fields if h)]
    rows = list(model._base_manager.filter(pk__gt=after_pk).order_by("pk").values(*columns)[:batch])
    pending: list[tuple[dict, dict]] = []
    update_fields: set[str] = set()
    for row in rows:
        values = {}
        for cipher_field, hash_field in fields:
            token = row[cipher_field]
            if not token:
                continue
            plain = crypto.decrypt(token)
            if not crypto.is_current(token):
                values[cipher_field] = crypto.encrypt(plain)
            if hash_field:
                index = crypto.blind_index(plain)
                if row[hash_field] != index:
                    values[hash_field] = index
        if values:
            pending.append((row, values))
            update_fields.update(values)
    # bulk_update writes every listed field of every object: unchanged ones keep the row's value
    changed = [
        model(pk=row["pk"], **{name: values.get(name, row[name]) for name in update_fields})
        for row, values in pending
    ]
    if changed:
        model._base_manager.bulk_update(changed, sorted(update_fields), batch_size=500)
    return len(rows), len(changed), rows[-1]["pk"] if rows else after_pk


class Command(BaseCommand):
    help = "密钥/算法轮换：用当前密钥和算法重新加密个人信息字段并重算盲索引（分批，可断点续跑）"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000, help="每批行数（默认 1000）")
        parser.add_argument("--restart", action="store_true", help="不续跑，从头开始")
        parser.add_argument("--max-batches", type=int, default=0, help="最多处理的批数（0 = 不限；测试用）")

    def handle(self, *args, batch=1000, restart=False, max_batches=0, **options):
        if not 1 <= batch <= 100_000:
            raise CommandError("--batch：应在 1 到 100000 之间")
        target = _target()
        job = None
        if not restart:
            job = (
                Job.objects.filter(
                    kind=KIND, status__in=[Job.Status.RUNNING, Job.Status.FAILED, Job.Status.QUEUED]
                )
                .order_by("-created_at")
                .first()
            )
            if job is not None and job.params != target:
                job = None  # a run towards other settings: start afresh
        if job is None:
            job = Job.objects.create(
                kind=KIND, params=target, status=Job.Status.RUNNING, result={"progress": {}}
            )
            self.stdout.write(f"开始轮换：{target['cipher']}，密钥 {target['kid']}，盲索引 {target['index']}")
        else:
            self.stdout.write(f"续跑上次的轮换（任务 {job.pk}）")
            Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
        started = time.monotonic()
        progress = dict(job.result.get("progress", {}))
        counts = dict(job.result.get("changed", {}))
        batches = 0
        try:
            for label, model, fields in _tables():
                state = progress.get(label, {"after": 0, "done": False})
                while not state["done"]:
                    if max_batches and batches >= max_batches:
                        self.stdout.write(f"已处理 {batches} 批，暂停（再次运行可续跑）")
                        return
                    with transaction.atomic():
                        read, changed, last = rotate_batch(model, fields, state["after"], batch)
                        state = {"after": last, "done": read < batch}
                        progress[label] = state
                        counts[label] = counts.get(label, 0) + changed
                        Job.objects.filter(pk=job.pk).update(
                            result={"progress": progress, "changed": counts},
                            progress=sum(counts.values()),
                        )
                    batches += 1
        except Exception as error:
            Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, message=str(error)[:500])
            raise
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.SUCCEEDED,
                finished_at=timezone.now(),
                message="密钥轮换完成",
                result={"progress": progress, "changed": counts},
            )
            audit.record(actor=None, action="core.keys.rotated", after={**target, "changed": counts})
        total = sum(counts.values())
        self.stdout.write(
            f"轮换完成：{total} 行已重新加密/重算索引（{time.monotonic() - started:.1f} 秒）；"
            + "，".join(f"{label} {n}" for label, n in counts.items())
        )
