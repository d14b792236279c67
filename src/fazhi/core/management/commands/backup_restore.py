from django.core.management.base import BaseCommand, CommandError

from fazhi.core import backups
from fazhi.core.errors import DomainError


class Command(BaseCommand):
    help = "从备份文件恢复数据库和上传文件（fazhi backup restore 文件 --yes；请先停止服务）"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="确认用备份替换当前数据")

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError(
                "恢复会用备份替换当前的数据库和上传文件。请先停止服务（make run / fazhi serve），"
                "确认无误后加 --yes 再运行。"
            )
        try:
            m = backups.restore(options["path"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"已恢复 {m['created_at']} 的备份：{sum(m['rows'].values())} 行，{m['media_files']} 个上传文件。"
            "原有数据已另存为 *.before-restore-*（SQLite 与上传文件目录）。请重新启动服务。"
        )
