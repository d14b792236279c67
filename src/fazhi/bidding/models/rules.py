"""评标规则参数 as data (the values in force: fazhi.bidding.rules)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


class Rule(models.Model):
    """评标规则参数: one rule as data, with its source; defaults come from bidding/data/rules.yaml."""

    key = models.CharField("规则键", max_length=60, unique=True)
    title = models.CharField("规则", max_length=200)
    value = models.JSONField("取值")
    source = models.CharField("依据", max_length=300)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "评标规则参数"
        verbose_name_plural = "评标规则参数"
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.title}（{self.key}）"

    # Keys whose values are counts of working days (fazhi.core.workdays refuses negative counts).
    WORKING_DAY_KEYS = {
        "deadlines": ("report_working_days", "confirm_working_days"),
        "contract_deadline": ("publish_working_days",),
        "handover_deadline": ("working_days",),
    }

    def clean(self) -> None:
        super().clean()
        if self.key == "conflict_window":
            raw = self.value.get("years") if isinstance(self.value, dict) else None
            if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 10:
                raise ValidationError({"value": "“years”应为 1 至 10 之间的整数（年）。"})
        if self.key == "identity_check_required":
            raw = self.value.get("required") if isinstance(self.value, dict) else None
            if not isinstance(raw, bool):
                raise ValidationError({"value": "“required”应为 true（须核验）或 false（不强制）。"})
        for name in self.WORKING_DAY_KEYS.get(self.key, ()):
            raw = self.value.get(name) if isinstance(self.value, dict) else None
            if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 60:
                raise ValidationError({"value": f"“{name}”应为 0 至 60 之间的整数（工作日天数）。"})
