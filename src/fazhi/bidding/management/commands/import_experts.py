from django.core.management.base import BaseCommand, CommandError

from fazhi.bidding.models import ExpertPool
from fazhi.bidding.services.pools import import_experts
from fazhi.core import audit
from fazhi.core.errors import DomainError
from fazhi.core.models import User


class Command(BaseCommand):
    help = "从 Excel 导入评标专家到指定专家库（fazhi import experts 专家库名称 文件.xlsx --as 账号）"

    def add_arguments(self, parser):
        parser.add_argument("pool", help="专家库名称")
        parser.add_argument("path", help=".xlsx 文件路径")
        parser.add_argument(
            "--as", dest="username", required=True, help="以哪个采购办账号导入（记入审计日志）"
        )

    def handle(self, *args, **options):
        pool = ExpertPool.objects.filter(name=options["pool"]).first()
        if pool is None:
            raise CommandError(f"专家库“{options['pool']}”不存在。")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"账号“{options['username']}”不存在。")
        try:
            with open(options["path"], "rb") as fh, audit.acting_as(user):
                result = import_experts(pool=pool, actor=user, upload=fh)
        except (OSError, DomainError) as exc:
            raise CommandError(getattr(exc, "message", str(exc)))
        if not result.ok:
            for row, msg in result.errors:
                self.stderr.write(f"第 {row} 行：{msg}")
            raise CommandError(f"有 {len(result.errors)} 行错误，未导入任何专家。")
        self.stdout.write(
            self.style.SUCCESS(f"导入完成：新增 {result.created} 人，更新 {result.updated} 人。")
        )
