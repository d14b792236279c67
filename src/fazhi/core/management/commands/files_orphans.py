import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from fazhi.core import files


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


class Command(BaseCommand):
    help = "列出（--delete 时删除）没有任何记录引用的上传文件（fazhi files orphans）"

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="删除列出的文件（默认只列出）")
        parser.add_argument(
            "--hours", type=float, default=24.0, help="只处理至少这么多小时前写入的文件（默认 24，不小于 1）"
        )

    def handle(self, *args, **options):
        if options["hours"] < 1:
            raise CommandError("--hours 不能小于 1：刚上传的文件可能属于尚未提交的事务。")
        orphans = files.find_orphans(min_age=dt.timedelta(hours=options["hours"]))
        total = sum(o.size for o in orphans)
        for o in orphans:
            self.stdout.write(f"{o.modified:%Y-%m-%d %H:%M}  {_size(o.size):>9}  {o.name}")
        if not orphans:
            self.stdout.write(self.style.SUCCESS("没有无人引用的上传文件。"))
            return
        if not options["delete"]:
            self.stdout.write(f"共 {len(orphans)} 个无人引用的文件，{_size(total)}；加 --delete 删除。")
            return
        removed, freed = files.delete_orphans(orphans)
        self.stdout.write(self.style.SUCCESS(f"已删除 {removed} 个文件，释放 {_size(freed)}。"))
