from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fazhi.core import backups
from fazhi.core.errors import DomainError


class Command(BaseCommand):
    help = "备份数据库和全部上传文件为一个 .tar.gz（fazhi backup create）"

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="存放备份的目录（默认 FAZHI_BACKUP_DIR，即 var/backups）")
        parser.add_argument(
            "--keep", type=int, help="只保留最新的若干份（默认 FAZHI_BACKUP_KEEP=14；0 全部保留）"
        )

    def handle(self, *args, **options):
        if options["keep"] is not None and options["keep"] < 0:
            raise CommandError("--keep 不能为负数。")
        try:
            result = backups.create(Path(options["dir"]) if options["dir"] else None, keep=options["keep"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        m = result.manifest
        self.stdout.write(
            f"已备份：{result.path}（{result.size / 1024 / 1024:.1f} MB；{m['engine']} 数据库，"
            f"{sum(m['rows'].values())} 行，{m['media_files']} 个上传文件）"
        )
