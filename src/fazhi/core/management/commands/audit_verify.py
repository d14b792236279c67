from django.core.management.base import BaseCommand, CommandError

from fazhi.core.audit import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链（fazhi audit verify）"

    def handle(self, *args, **options):
        result = verify_chain()
        if not result.ok:
            raise CommandError(f"审计链校验失败：{result.reason}（已检查 {result.checked} 条）")
        self.stdout.write(self.style.SUCCESS(f"审计链完整：共 {result.checked} 条记录，哈希全部一致。"))
