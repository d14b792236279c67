"""`fazhi rescore performance`: re-score the self-evaluations still being filled in with the rules in force.

Run it after an administrator changes the scoring rules; submitted, approved and published evaluations keep
the scores (and the rule explanations) they were reviewed with.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from fazhi.core import audit
from fazhi.core.errors import ValidationFailed
from fazhi.performance import selectors, services
from fazhi.performance.models import EDITABLE, SelfEvaluation


class Command(BaseCommand):
    help = "按现行评分规则重新计算填报中（含退回修改）的绩效自评表得分"

    def handle(self, *args, **options):
        config = selectors.get_config()
        evaluations = list(SelfEvaluation.objects.filter(status__in=EDITABLE).select_related("project"))
        changed = 0
        for ev in tqdm(evaluations, desc="重新计分", disable=not evaluations):
            before = (ev.total_score, ev.grade)
            # A value the fields cannot hold (e.g. an execution rate) is reported; the old scores stay.
            try:
                with transaction.atomic():
                    services.rescore(ev, config)
            except ValidationFailed as exc:
                self.stderr.write(f"未重新计分：{ev.project}：{exc.message}")
                continue
            if (ev.total_score, ev.grade) != before:
                changed += 1
        audit.record(
            action="rescore",
            object_type="performance.SelfEvaluation",
            after={"evaluations": len(evaluations), "changed": changed},
            comment="按现行评分规则重新计分",
        )
        self.stdout.write(
            f"已重新计分 {len(evaluations)} 份绩效自评表，其中 {changed} 份得分或等级发生变化。"
        )
