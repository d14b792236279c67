from django.core.management.base import BaseCommand, CommandError

from fazhi.bidding.models import Draw
from fazhi.bidding.services.draw import verify_draw
from fazhi.bidding.services.scoring import verify_sheets


class Command(BaseCommand):
    help = "校验已签名评分表的哈希与审计链、抽取记录的可复现性（fazhi verify scoresheets）"

    def handle(self, *args, **options):
        results = verify_sheets()
        broken = [v.reason for v in results if not v.ok]
        bad_draws = [
            f"抽取记录 #{d.pk}（{d.committee}）按种子复算结果不一致"
            for d in Draw.objects.all()
            if not verify_draw(d)
        ]
        problems = broken + bad_draws
        if problems:
            raise CommandError("评标记录校验失败：" + "；".join(problems))
        self.stdout.write(
            self.style.SUCCESS(
                f"评标记录完整：{len(results)} 份已签名评分表、{Draw.objects.count()} 次抽取均校验一致。"
            )
        )
