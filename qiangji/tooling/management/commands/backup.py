"""`qiangji backup [--output FILE]`: an encrypted, consistent snapshot of the database and the uploaded
files (qiangji.tooling.backup). Default file: var/backups/qiangji-<vendor>-<time>.qjbk."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from qiangji.tooling.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份：数据库一致快照与上传文件，用独立的备份密钥加密"

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="备份文件路径（默认 var/backups/ 下按时间命名）")

    def handle(self, *args, output=None, **options):
        if output is None:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.VAR_DIR) / "backups" / f"qiangji-{connection.vendor}-{stamp}.qjbk"
        try:
            result = backup(Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"备份完成：{result.path}（{result.tables} 张表，{result.rows:,} 行，"
            f"{result.media_files} 个上传文件，{result.size / 2**20:.1f} MB）"
        )
