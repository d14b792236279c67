"""Writing policies: raw values validated into fields, one policy saved, date-derived statuses refreshed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.core import audit, roles
from fazhi.core.batches import chunks
from fazhi.core.errors import PermissionDenied, ValidationFailed
from fazhi.core.limits import check_field, check_length, field_label
from fazhi.core.permissions import has_role
from fazhi.policies import duplicates, extract, sizing
from fazhi.policies.index import INDEX
from fazhi.policies.models import Level, Policy, Status, SupportType, derive_status
from fazhi.policies.services.values import (
    KNOWN_TAGS,
    MAX_EMPLOYEES,
    MAX_YEARS_ESTABLISHED,
    _as_date,
    _as_decimal,
    _as_int,
    _as_list,
)
from fazhi.search import outbox

SIZES = sizing.SIZES
SUPPORT_LABELS = [label for _, label in SupportType.choices]
# What the importer recognises from the text (facets_extracted: "由系统从正文自动识别，仅供参考").
EXTRACTED_FIELDS = (
    "issuer",
    "doc_number",
    "level",
    "written_date",
    "published_date",
    "effective_from",
    "effective_to",
    "apply_start",
    "apply_end",
    "contact_phone",
    "regions",
    "themes",
    "support_types",
    "industries",
    "sizes",
)

# The eligibility conditions 政策体检 judges: an edit of any of them is an administrator setting them, so the
# policy's conditions count as verified (conditions_verified) from then on.
CONDITION_FIELDS = (
    "industries",
    "sizes",
    "regions",
    "min_years_established",
    "required_tags",
    "employees_min",
    "employees_max",
    "revenue_min",
    "revenue_max",
)


def problems(data: dict[str, Any]) -> list[str]:
    """Every problem of a row of raw values, not only the first: the whole row, then each value alone
    (with a placeholder title), so that one upload shows all that needs correcting."""
    try:
        clean_policy_values(data)
    except ValidationFailed as exc:
        found = [exc.message]
    else:
        return []
    for key, value in data.items():
        if key == "title" or value in (None, ""):
            continue
        alone = {"title": "（校验）", key: value}
        if key == "status_override":  # judged with its reason, as in the row
            alone["status_reason"] = data.get("status_reason")
        try:
            clean_policy_values(alone)
        except ValidationFailed as exc:
            if exc.message not in found:
                found.append(exc.message)
    return found


# The list fields (主题, 适用地区, 企业标签): how many items and how long each may be.
LIST_LABELS = {"themes": "主题", "regions": "适用地区", "required_tags": "企业标签"}
MAX_LIST_ITEMS = 50
MAX_LIST_ITEM = 100

# Limits of the policy's free texts (TextFields); the other texts are limited by their max_length, which
# SQLite does not enforce. Refused beyond these, never cut.
TEXT_LIMITS = {
    "beneficiaries": 5_000,  # 惠及对象
    "conditions_text": 20_000,  # 申报条件
    "support_standard": 20_000,  # 支持标准
    "apply_method": 5_000,  # 申报方式与地点
    "interpretation": 100_000,  # 政策解读
    "full_text": 500_000,  # 全文: the longest policy documents run to some tens of thousands of characters
}


def clean_policy_values(data: dict[str, Any]) -> dict[str, Any]:
    """Validate raw values (Chinese labels allowed) into Policy field values; raise on the first problem
    (`problems` lists every one, for the Excel import's row messages)."""
    title = str(data.get("title") or "").strip()
    if not title:
        raise ValidationFailed("标题不能为空。")
    check_field(title, Policy, "title", "标题")
    out: dict[str, Any] = {"title": title}
    for key in (
        "issuer",
        "doc_number",
        "beneficiaries",
        "conditions_text",
        "support_standard",
        "apply_method",
        "contact_phone",
        "interpretation",
        "source_url",
        "full_text",
        "status_reason",
    ):
        if key in data:
            out[key] = str(data.get(key) or "").strip()
            if key in TEXT_LIMITS:
                check_length(out[key], field_label(Policy, key), TEXT_LIMITS[key])
            else:
                check_field(out[key], Policy, key)
    level = str(data.get("level") or "").strip()
    if level:
        by_label = {label: value for value, label in Level.choices}
        if level not in by_label and level not in Level.values:
            raise ValidationFailed(f"层级“{level}”无效，应为：国家、省、市、区。")
        out["level"] = by_label.get(level, level)
    status = str(data.get("status_override") or "").strip()
    if status:
        by_label = {label: value for value, label in Status.choices}
        if status not in by_label and status not in Status.values:
            raise ValidationFailed(f"状态“{status}”无效，应为：有效、即将到期、已失效、已废止。")
        out["status_override"] = by_label.get(status, status)
        if not out.get("status_reason"):
            raise ValidationFailed("人工设定状态时须填写状态说明。")
    elif "status_override" in data:
        out["status_override"] = ""
    for key, label in (
        ("written_date", "成文日期"),
        ("published_date", "发布日期"),
        ("effective_from", "有效期起"),
        ("effective_to", "有效期止"),
        ("apply_start", "申报开始"),
        ("apply_end", "申报截止"),
    ):
        if key in data:
            out[key] = _as_date(data.get(key), label)
    for a, b, label in (("effective_from", "effective_to", "有效期"), ("apply_start", "apply_end", "申报期")):
        if out.get(a) and out.get(b) and out[a] > out[b]:
            raise ValidationFailed(f"{label}的开始日期晚于结束日期。")
    sections = sizing.sections()
    section_by_name = {v: k for k, v in sections.items()}
    if "industries" in data:
        inds = []
        for v in _as_list(data.get("industries")):
            code = v.upper() if v.upper() in sections else section_by_name.get(v)
            if code is None:
                raise ValidationFailed(f"行业“{v}”不是国民经济行业分类门类（如 C 或 制造业）。")
            inds.append(code)
        out["industries"] = inds
    if "sizes" in data:
        sizes = _as_list(data.get("sizes"))
        bad = [s for s in sizes if s not in SIZES]
        if bad:
            raise ValidationFailed(f"企业规模“{bad[0]}”无效，应为：大型、中型、小型、微型。")
        out["sizes"] = sizes
    if "support_types" in data:
        types = _as_list(data.get("support_types"))
        bad = [s for s in types if s not in SUPPORT_LABELS]
        if bad:
            raise ValidationFailed(f"支持方式“{bad[0]}”无效，应为：{'、'.join(SUPPORT_LABELS)}。")
        out["support_types"] = types
    for key in ("themes", "regions", "required_tags"):
        if key in data:
            out[key] = _as_list(data.get(key))
            label = LIST_LABELS[key]
            if len(out[key]) > MAX_LIST_ITEMS:
                raise ValidationFailed(f"{label}最多 {MAX_LIST_ITEMS} 项（当前 {len(out[key])} 项）。")
            for item in out[key]:
                check_length(item, f"{label}“{item[:20]}…”", MAX_LIST_ITEM, hint="请分项填写或使用简称")
    # A tag no profile can carry would make the policy impossible to match.
    if unknown_tags := [t for t in out.get("required_tags", []) if t not in KNOWN_TAGS]:
        raise ValidationFailed(f"企业标签“{unknown_tags[0]}”无效，可选：{'、'.join(KNOWN_TAGS)}。")
    if out.get("contact_phone") and not re.search(r"\d{3,}", out["contact_phone"]):
        raise ValidationFailed(f"咨询电话“{out['contact_phone'][:30]}”中没有电话号码。")
    for key, label in (
        ("support_amount", "支持金额"),
        ("support_ratio", "支持比例"),
        ("support_cap", "最高限额"),
        ("revenue_min", "营业收入下限"),
        ("revenue_max", "营业收入上限"),
    ):
        if key in data:
            out[key] = _as_decimal(data.get(key), label, Policy._meta.get_field(key))
    for key, label, maximum in (
        ("min_years_established", "成立年限", MAX_YEARS_ESTABLISHED),
        ("employees_min", "从业人员下限", MAX_EMPLOYEES),
        ("employees_max", "从业人员上限", MAX_EMPLOYEES),
    ):
        if key in data:
            out[key] = _as_int(data.get(key), label, Policy._meta.get_field(key), maximum=maximum)
    if out.get("support_ratio") is not None and out["support_ratio"] > 100:
        raise ValidationFailed("支持比例不能超过100%。")
    for lo, hi, label in (
        ("employees_min", "employees_max", "从业人员"),
        ("revenue_min", "revenue_max", "营业收入"),
    ):
        if out.get(lo) is not None and out.get(hi) is not None and out[lo] > out[hi]:
            raise ValidationFailed(f"{label}下限大于上限。")
    if out.get("doc_number"):
        number, code, year, serial = extract.parse_doc_number(out["doc_number"])
        out["doc_agency_code"], out["doc_year"], out["doc_serial"] = code, year, serial
    if out.get("source_url") and not str(out["source_url"]).startswith(("http://", "https://")):
        raise ValidationFailed("来源网址应以 http:// 或 https:// 开头。")
    return out


def save_policy(
    *, actor: Any, values: dict[str, Any], policy: Policy | None = None, external_id: str | None = None
) -> Policy:
    """Create or update one policy from raw values (validated), regrouped with the policies whose text is
    the same or nearly so (reposts); indexed after commit."""
    require_editor(actor)
    cleaned = clean_policy_values(values)
    with transaction.atomic():
        if policy is None and external_id:
            policy = Policy.objects.filter(external_id=external_id).first()
        if policy is None:
            try:
                with transaction.atomic():
                    policy = _apply_values(Policy(external_id=external_id or None), cleaned)
            except IntegrityError:
                # The same 外部编号 imported by another request at this moment (one file sent twice):
                # that policy is updated with these values instead of the import failing.
                existing = Policy.objects.select_for_update().filter(external_id=external_id).first()
                if existing is None:
                    raise
                policy = _apply_values(existing, cleaned)
        else:
            policy = _apply_values(policy, cleaned)
        duplicates.refresh([policy.pk])
        outbox.enqueue(INDEX, policy.pk)
    return policy


def _apply_values(policy: Policy, cleaned: dict[str, Any]) -> Policy:
    assign_values(policy, cleaned)
    policy.save()
    return policy


def assign_values(policy: Policy, cleaned: dict[str, Any]) -> list[str]:
    """Put validated values on the policy without saving it; the names of the fields that changed
    (the status follows the dates, and the facets notice may go: see below)."""
    changed = [k for k, v in cleaned.items() if getattr(policy, k) != v]
    # The "automatically identified" notice stays until someone actually edits what was identified.
    if policy.facets_extracted and any(k in changed for k in EXTRACTED_FIELDS):
        policy.facets_extracted = False
        changed.append("facets_extracted")
    if not policy.conditions_verified and any(k in changed for k in CONDITION_FIELDS):
        policy.conditions_verified = True
        changed.append("conditions_verified")
    for k in changed:
        if k in cleaned:
            setattr(policy, k, cleaned[k])
    status = policy.current_status()
    if status != policy.status:
        policy.status = status
        changed.append("status")
    return changed


def require_editor(actor: Any) -> None:
    if not (getattr(actor, "is_superuser", False) or has_role(actor, roles.SYSADMIN, roles.STAFF_MEMBER)):
        raise PermissionDenied("只有财政局工作人员或系统管理员可以维护惠企政策。")


def refresh_statuses(*, today: dt.date | None = None) -> int:
    """Recompute date-derived statuses; re-index the policies whose status changed."""
    today = today or timezone.localdate()
    changed = []
    candidates = (
        Policy.objects.exclude(effective_to=None)
        | Policy.objects.exclude(status_override="")
        | Policy.objects.exclude(measures_end=None)
    )
    fields = ("pk", "title", "status", "status_override", "effective_from", "effective_to", "measures_end")
    for p in candidates.only(*fields):
        new = derive_status(
            effective_from=p.effective_from,
            effective_to=p.effective_to,
            override=p.status_override,
            today=today,
            temporary_end=p.measures_end if extract.temporary_title(p.title) else None,
        )
        if new != p.status:
            changed.append((p.pk, new))
    with transaction.atomic():
        by_status: dict[str, list[int]] = {}
        for pk, new in changed:
            by_status.setdefault(new, []).append(pk)
        for new, pks in by_status.items():  # one UPDATE per status (chunked), not one per policy
            for some in chunks(pks, 500):
                Policy.objects.filter(pk__in=some).update(status=new)
        if changed:
            outbox.enqueue_many(INDEX, [pk for pk, _ in changed])
            audit.record(
                action="transition",
                object_type="policies.Policy",
                comment=f"按有效期自动更新政策效力状态（{today:%Y-%m-%d}）",
                after={"changed": {str(pk): new for pk, new in changed}},
            )
    return len(changed)
