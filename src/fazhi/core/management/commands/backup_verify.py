from django.core.management.base import BaseCommand, CommandError

from fazhi.core import backups
from fazhi.core.errors import DomainError


class Command(BaseCommand):
    help = "检查备份文件是否完整（fazhi backup verify 文件）"

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        try:
            m = backups.verify(options["path"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"备份完好：{m['created_at']} 的 {m['engine']} 数据库，{sum(m['rows'].values())} 行，"
            f"{m['media_files']} 个上传文件，{len(m['sha256'])} 项校验值全部相符。"
        )
