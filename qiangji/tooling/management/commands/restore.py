"""`qiangji restore FILE --yes`: replace the database's content and the uploaded files with a backup's,
then verify (row counts and per-table hashes equal to the backup's manifest, the audit chain intact).
`--verify-only` decrypts and checks the file without touching anything."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qiangji.tooling.backup import BackupError, restore


class Command(BaseCommand):
    help = "从备份恢复（覆盖当前数据库与上传文件）并校验"

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据")
        parser.add_argument("--verify-only", action="store_true", help="只解密并校验备份文件，不恢复")

    def handle(self, *args, file, yes=False, verify_only=False, **options):
        if not verify_only and not yes:
            raise CommandError("恢复会覆盖当前数据库与上传文件：确认请加 --yes（或用 --verify-only 只校验）")
        try:
            result = restore(Path(file), verify_only=verify_only)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if verify_only:
            self.stdout.write(
                f"备份文件完好：{result.tables} 张表，{result.rows:,} 行，{result.media_files} 个上传文件"
            )
        else:
            self.stdout.write(
                f"恢复完成并已校验：{result.tables} 张表，{result.rows:,} 行（各表行数与摘要一致），"
                f"{result.media_files} 个上传文件，审计链 {result.audit_links} 环完整"
            )
