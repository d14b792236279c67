"""企业划型标准 corrections: a band's floors are checked against the industry's other bands, saved (the audit
chain records the change), and the stored size of the industry's enterprise profiles is computed again."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from fazhi.core import audit
from fazhi.core.errors import NotFound, PermissionDenied, ValidationFailed
from fazhi.core.limits import length_problem
from fazhi.policies import sizing
from fazhi.policies.models import EnterpriseProfile, SizeBand, SizeThreshold
from fazhi.policies.services.values import MAX_EMPLOYEES, _as_decimal, _as_int

EDIT_PERMISSION = "policies.change_sizethreshold"
BANDS = [SizeBand.LARGE, SizeBand.MEDIUM, SizeBand.SMALL]  # from the top down
BAND_LABELS = {
    SizeBand.LARGE: "中小微型企业上限",  # the floor of 大型
    SizeBand.MEDIUM: "中型企业下限",
    SizeBand.SMALL: "小型企业下限",
}
LISTED_CHANGES = 100  # the audit event of a re-sizing names at most this many profiles

MAX_SOURCE = 300  # SizeThreshold.source max_length (SQLite does not enforce it)
MAX_NOTE = 1000  # 修改说明 (SizeThreshold.note, a TextField): refused beyond it, never cut


@dataclass
class ThresholdSaved:
    threshold: SizeThreshold
    resized: int  # enterprise profiles whose stored size changed


def _shown(indicator: str, value: Decimal | int) -> str:
    return f"{sizing.number_text(value)}{sizing.INDICATOR_UNITS[indicator]}"


def _floors(
    label: str, values: dict[str, Any]
) -> tuple[dict[str, Decimal | int], list[tuple[str | None, str]]]:
    """The indicators filled in, as numbers a column holds; a problem for each that is not one."""
    fields = SizeThreshold._meta
    given: dict[str, Decimal | int] = {}
    problems: list[tuple[str | None, str]] = []
    for k in sizing.INDICATORS:
        shown = f"{label}的{sizing.INDICATOR_NAMES[k]}（{sizing.INDICATOR_UNITS[k]}）"
        value: Decimal | int | None
        try:
            if k == "employees":
                value = _as_int(values.get(k), shown, fields.get_field(k), maximum=MAX_EMPLOYEES)
            else:
                value = _as_decimal(values.get(k), shown, fields.get_field(k))
        except ValidationFailed as exc:  # not a number, negative, too large
            problems.append((k, exc.message))
            continue
        if value is not None:
            given[k] = value
    return given, problems


def threshold_problems(*, industry: str, band: str, values: dict[str, Any]) -> list[tuple[str | None, str]]:
    """What is wrong with new floors for one band of an industry: (field or None, Chinese message) pairs.

    Floors are non-negative numbers; the industry's bands use the same indicators (the 且/或 comparisons
    compare like with like) and are ordered: 大型 above 中型 above 小型 above 微型 (that is, above 0).
    """
    ind = sizing.in_force().get(industry)
    if ind is None or band not in BAND_LABELS:
        return [(None, f"未知的划型行业或档次（{industry} · {band}）。")]
    label = BAND_LABELS[SizeBand(band)]
    problems: list[tuple[str | None, str]] = []
    if not str(values.get("source") or "").strip():
        problems.append(
            ("source", "请填写依据，如 工信部联企业〔2011〕300号《中小企业划型标准规定》第四条。")
        )
    source, note = str(values.get("source") or "").strip(), str(values.get("note") or "").strip()
    for name, text, what, limit in (
        ("source", source, "依据", MAX_SOURCE),
        ("note", note, "修改说明", MAX_NOTE),
    ):
        if problem := length_problem(text, what, limit):
            problems.append((name, problem + "。"))
    given, bad = _floors(label, values)
    if bad:
        return problems + bad
    others = [b for b in BANDS if b != band]
    used = {k for b in others for k in getattr(ind, sizing.BAND_FIELDS[b])}
    if not given:
        return [*problems, (None, f"{label}至少须填写一项指标（从业人员、营业收入或资产总额）。")]
    if set(given) != used:
        names = "、".join(sizing.INDICATOR_NAMES[k] for k in sizing.INDICATORS if k in used)
        problems.append((None, f"{ind.name}各档均按{names}划型：请填写这些指标，其余留空。"))
        return problems
    position = BANDS.index(SizeBand(band))
    above = BANDS[position - 1] if position > 0 else None
    below = BANDS[position + 1] if position + 1 < len(BANDS) else None
    for k, v in given.items():
        name = f"{label}的{sizing.INDICATOR_NAMES[k]}（{_shown(k, v)}）"
        if above is not None and v >= (bound := getattr(ind, sizing.BAND_FIELDS[above])[k]):
            problems.append((k, f"{name}须低于{BAND_LABELS[above]}（{_shown(k, bound)}）。"))
        if below is not None and v <= (bound := getattr(ind, sizing.BAND_FIELDS[below])[k]):
            problems.append((k, f"{name}须高于{BAND_LABELS[below]}（{_shown(k, bound)}）。"))
        if below is None and v == 0:
            problems.append((k, f"{name}须大于 0：低于小型企业下限的才是微型企业。"))
    return problems


def save_threshold(*, actor: Any, threshold_id: int, values: dict[str, Any]) -> ThresholdSaved:
    """Correct one band's floors and source; the industry's enterprise profiles are sized again."""
    if actor is None or not actor.has_perm(EDIT_PERMISSION):
        raise PermissionDenied("您没有修改企业划型标准的权限。")
    with transaction.atomic():
        row = SizeThreshold.objects.select_for_update().filter(pk=threshold_id).first()
        if row is None:
            raise NotFound("未找到该划型标准。")
        problems = threshold_problems(industry=row.industry, band=row.band, values=values)
        if problems:
            raise ValidationFailed("；".join(message for _, message in problems))
        given, _ = _floors("", values)
        for name in sizing.INDICATORS:
            setattr(row, name, given.get(name))
        row.source = str(values["source"]).strip()
        row.note = str(values.get("note") or "").strip()
        row.save()  # the audit chain records the before and after values
        resized = resize_profiles(threshold=row)
    return ThresholdSaved(threshold=row, resized=resized)


def resize_profiles(*, threshold: SizeThreshold) -> int:
    """Size the industry's enterprise profiles again by the thresholds in force; one audit event lists the
    profiles whose size changed. Returns their number."""
    table = sizing.in_force()
    changed: list[tuple[EnterpriseProfile, str]] = []
    profiles = EnterpriseProfile.objects.filter(industry=threshold.industry).only(
        "pk", "name", "industry", "employees", "revenue", "total_assets", "size"
    )
    for profile in profiles.order_by("pk"):
        size = sizing.classify(
            industry=profile.industry,
            employees=profile.employees,
            revenue=profile.revenue,
            assets=profile.total_assets,
            table=table,
        ).size
        if size != profile.size:
            changed.append((profile, profile.size))
            profile.size = size
    if not changed:
        return 0
    with audit.suspended():
        EnterpriseProfile.objects.bulk_update([p for p, _ in changed], ["size"])
    audit.record(
        action="resize_profiles",
        obj=threshold,
        after={
            "profiles": len(changed),
            "changes": [
                {"id": p.pk, "name": p.name, "from": old, "to": p.size} for p, old in changed[:LISTED_CHANGES]
            ],
        },
        comment=f"按修改后的划型标准重新划型：{len(changed)} 家企业的规模改变。",
    )
    return len(changed)


def ensure_thresholds() -> int:
    """Add the shipped 300号 thresholds missing from the table (rows an admin corrected are left alone);
    returns the rows added."""
    existing = set(SizeThreshold.objects.values_list("industry", "band"))
    added = 0
    for row in sizing.default_rows():
        if (row["industry"], row["band"]) not in existing:
            SizeThreshold.objects.create(**row)
            added += 1
    return added
