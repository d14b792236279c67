"""惠企政策 writes: importing, saving policies, refreshing statuses, enterprise profiles, subscriptions."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.core import audit, credit_code, roles
from fazhi.core.batches import chunks
from fazhi.core.errors import NotFound, PermissionDenied, ValidationFailed
from fazhi.core.permissions import has_role
from fazhi.policies import extract, matching, sizing
from fazhi.policies.index import INDEX
from fazhi.policies.models import (
    EnterpriseProfile,
    Level,
    Policy,
    PolicySubscription,
    Status,
    SupportType,
    derive_status,
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
EARLIEST_ESTABLISHED = dt.date(1900, 1, 1)  # an earlier 成立日期 is a typing slip
KNOWN_TAGS = [
    "高新技术企业",
    "专精特新",
    "科技型中小企业",
    "外贸企业",
    "小巨人企业",
    "个体工商户",
    "规上企业",
]


# --- editing one policy (Excel rows, admin) ---------------------------------------------------
def _as_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [
        v.strip()
        for v in str(value).replace("，", "、").replace(",", "、").replace("；", "、").split("、")
        if v.strip()
    ]


def _as_date(value: Any, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    text = text.replace("年", "-").replace("月", "-").replace("日", "")
    try:
        return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError as exc:
        raise ValidationFailed(f"{label}“{value}”不是有效日期，请写成 2020-02-05。") from exc


# Largest value an integer column holds on PostgreSQL (the production database), by model field type.
_INT_COLUMN_MAX = {
    "SmallIntegerField": 32767,
    "PositiveSmallIntegerField": 32767,
    "IntegerField": 2147483647,
    "PositiveIntegerField": 2147483647,
    "BigIntegerField": 9223372036854775807,
    "PositiveBigIntegerField": 9223372036854775807,
}
# Sane upper bounds for whole numbers people type (all within the columns above).
MAX_EMPLOYEES = 10_000_000
MAX_YEARS_ESTABLISHED = 200


def _number(value: Any, label: str) -> Decimal | None:
    """A finite, non-negative Decimal from a cell/field value ("1,200" allowed), or None when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationFailed(f"{label}“{value}”不是数字。")
    try:
        d = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except InvalidOperation as exc:
        raise ValidationFailed(f"{label}“{value}”不是数字。") from exc
    if not d.is_finite():
        raise ValidationFailed(f"{label}“{value}”不是数字。")
    if d < 0:
        raise ValidationFailed(f"{label}不能为负数。")
    return d


def _as_decimal(value: Any, label: str, field: Any) -> Decimal | None:
    """A Decimal that fits the model DecimalField `field` (its max_digits and decimal_places)."""
    d = _number(value, label)
    if d is None:
        return None
    places = field.decimal_places
    step = Decimal(1).scaleb(-places)
    limit = Decimal(10) ** (field.max_digits - places) - step
    if d > limit:
        raise ValidationFailed(f"{label}须为不超过 {limit} 的数。")
    if d != d.quantize(step):
        raise ValidationFailed(f"{label}“{value}”最多保留{places}位小数。")
    return d.quantize(step)


def _as_int(value: Any, label: str, field: Any, *, maximum: int | None = None) -> int | None:
    """A whole number within 0..maximum and within what the model IntegerField `field` can hold."""
    d = _number(value, label)
    if d is None:
        return None
    top = _INT_COLUMN_MAX.get(field.get_internal_type(), _INT_COLUMN_MAX["IntegerField"])
    if maximum is not None:
        top = min(top, maximum)
    if d > top or d != d.to_integral_value():
        raise ValidationFailed(f"{label}须为 0 到 {top} 之间的整数。")
    return int(d)


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


def clean_policy_values(data: dict[str, Any]) -> dict[str, Any]:
    """Validate raw values (Chinese labels allowed) into Policy field values; raise on the first problem
    (`problems` lists every one, for the Excel import's row messages)."""
    title = str(data.get("title") or "").strip()
    if not title:
        raise ValidationFailed("标题不能为空。")
    if len(title) > 500:
        raise ValidationFailed("标题过长（最多500字）。")
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
    """Create or update one policy from raw values (validated); indexed after commit."""
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
    candidates = Policy.objects.exclude(effective_to=None) | Policy.objects.exclude(status_override="")
    for p in candidates.only("pk", "status", "status_override", "effective_from", "effective_to"):
        new = derive_status(
            effective_from=p.effective_from,
            effective_to=p.effective_to,
            override=p.status_override,
            today=today,
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


# --- enterprise profile -----------------------------------------------------------------------
def clean_profile(data: dict[str, Any]) -> dict[str, Any]:
    """Validate an enterprise profile; the size is computed from the 300号 table."""
    name = str(data.get("name") or "").strip()
    if not name:
        raise ValidationFailed("请填写企业名称。")
    name_max = EnterpriseProfile._meta.get_field("name").max_length or 200
    if len(name) > name_max:
        raise ValidationFailed(f"企业名称不能超过 {name_max} 个字。")
    code = credit_code.normalize(data.get("credit_code"))
    if code:
        problem = credit_code.problem(code)
        if problem:
            raise ValidationFailed(problem)
    industry = str(data.get("industry") or "").strip()
    table = sizing.industries()
    short = {key: ind.name.split("（")[0] for key, ind in table.items()}  # 工业（采矿业，…） → 工业
    by_name = {ind.name: key for key, ind in table.items()} | {name: key for key, name in short.items()}
    industry = by_name.get(industry, industry)  # the Chinese name (餐饮业) as well as the key (catering)
    if industry not in table:
        choices = "、".join(f"{key}（{name}）" for key, name in short.items())
        raise ValidationFailed(f"请选择所属行业（按工信部联企业〔2011〕300号划型行业），可填：{choices}。")
    section = str(data.get("industry_section") or "").strip().upper()
    if section and section not in table[industry].sections:
        allowed = "、".join(f"{s} {sizing.sections()[s]}" for s in table[industry].sections)
        raise ValidationFailed(f"行业门类“{section}”与所选划型行业不符，可选：{allowed}。")
    established = _as_date(data.get("established_on"), "成立日期")
    if established and established > timezone.localdate():
        raise ValidationFailed("成立日期不能晚于今天。")
    if established and established < EARLIEST_ESTABLISHED:
        raise ValidationFailed(f"成立日期不能早于{EARLIEST_ESTABLISHED:%Y}年，请核对。")
    fields = EnterpriseProfile._meta
    employees = _as_int(
        data.get("employees"), "从业人员", fields.get_field("employees"), maximum=MAX_EMPLOYEES
    )
    revenue = _as_decimal(data.get("revenue"), "营业收入（万元）", fields.get_field("revenue"))
    assets = _as_decimal(data.get("total_assets"), "资产总额（万元）", fields.get_field("total_assets"))
    tags = _as_list(data.get("tags"))
    if unknown := [t for t in tags if t not in KNOWN_TAGS]:
        raise ValidationFailed(f"企业标签“{unknown[0]}”无效，可选：{'、'.join(KNOWN_TAGS)}。")
    region = str(data.get("region") or "").strip()
    if len(region) > 100:
        raise ValidationFailed("所在地区不能超过 100 个字。")
    if problem := matching.region_problem(region):
        raise ValidationFailed(problem)
    result = sizing.classify(industry=industry, employees=employees, revenue=revenue, assets=assets)
    return {
        "name": name[:200],
        "credit_code": code,
        "industry": industry,
        "industry_section": section,
        "region": region,
        "established_on": established,
        "employees": employees,
        "revenue": revenue,
        "total_assets": assets,
        "tags": tags,
        "size": result.size,
    }


def profile_from_values(data: dict[str, Any]) -> EnterpriseProfile:
    """An unsaved profile (for one-off matching through the API)."""
    return EnterpriseProfile(**clean_profile(data))


def save_profile(*, actor: Any, data: dict[str, Any]) -> EnterpriseProfile:
    """Save the enterprise user's own profile."""
    if not has_role(actor, roles.ENTERPRISE):
        raise PermissionDenied("只有企业用户可以保存企业画像。")
    values = clean_profile(data)
    with transaction.atomic():
        profile, _ = EnterpriseProfile.objects.update_or_create(owner=actor, defaults=values)
    return profile


# --- subscriptions ----------------------------------------------------------------------------
def subscribe(
    *,
    actor: Any,
    themes: Iterable[str] = (),
    industries: Iterable[str] = (),
    match_profile: bool = False,
    email: bool = True,
) -> PolicySubscription:
    """Subscribe an enterprise user to themes/industries or to policies matching the saved profile.

    Themes must be known (the subject rules or a theme some policy carries) and industries 门类 codes or
    names; an active subscription with the same content is refused, so one policy is never announced
    twice through copies of one subscription.
    """
    if not has_role(actor, roles.ENTERPRISE):
        raise PermissionDenied("只有企业用户可以订阅惠企政策。")
    themes = list(dict.fromkeys(_as_list(list(themes))))
    known = _known_themes(themes)
    unknown = [t for t in themes if t not in known]
    if unknown:
        allowed = "、".join(label for label, _ in extract.THEME_RULES)
        raise ValidationFailed(f"主题“{'、'.join(unknown)}”不存在，可选：{allowed}。")
    sections = sizing.sections()
    by_name = {name: code for code, name in sections.items()}
    inds: list[str] = []
    for value in _as_list(list(industries)):
        code = value.upper() if value.upper() in sections else by_name.get(value)
        if code is None:
            raise ValidationFailed(f"行业“{value}”不是国民经济行业分类门类（如 H 或 住宿和餐饮业）。")
        if code not in inds:
            inds.append(code)
    if not themes and not inds and not match_profile:
        raise ValidationFailed("请至少选择一个主题、行业，或订阅“匹配我的企业画像”。")
    if match_profile and not EnterpriseProfile.objects.filter(owner=actor).exists():
        raise ValidationFailed("请先保存企业画像，再订阅匹配政策。")
    with transaction.atomic():
        # The account row is the lock: a first subscription sent twice at once has no subscription row
        # to lock yet, and both requests would find nothing to compare with and subscribe twice.
        get_user_model().objects.select_for_update().only("pk").get(pk=actor.pk)
        if same := _active_with_content(actor.pk, (set(themes), set(inds), match_profile)):
            raise ValidationFailed(
                f"已订阅相同内容（{same.summary}），无需重复订阅；如需更改邮件提醒，请先退订原订阅。"
            )
        return PolicySubscription.objects.create(
            user=actor,
            themes=themes,
            industries=inds,
            match_profile=match_profile,
            email=email,
            last_checked_at=timezone.now(),
        )


Content = tuple[set[str], set[str], bool]  # themes, industries, "matches my profile"


def _content(sub: PolicySubscription) -> Content:
    return set(sub.themes), set(sub.industries), sub.match_profile


def _active_with_content(user_id: int, content: Content) -> PolicySubscription | None:
    """The user's active subscription to exactly this content, if any (the caller holds the account lock)."""
    for sub in PolicySubscription.objects.filter(user_id=user_id, active=True):
        if _content(sub) == content:
            return sub
    return None


def _known_themes(wanted: list[str]) -> set[str]:
    """The subscribable themes among `wanted`: the subject rules' labels and themes policies carry."""
    known = {label for label, _ in extract.THEME_RULES}
    missing = set(wanted) - known
    if missing:  # rare (themes typed by an administrator): one pass over the policies' themes
        for ts in Policy.objects.values_list("themes", flat=True).iterator():
            found = missing.intersection(ts or [])
            known |= found
            missing -= found
            if not missing:
                break
    return known


def resubscribe(*, token: str) -> PolicySubscription:
    """撤销退订: the unsubscribe page's button (the same token) turns the subscription back on. Policies
    published while it was off are not announced afterwards; an identical active subscription is refused."""
    sub = PolicySubscription.objects.filter(token=token).first()
    if sub is None:
        raise NotFound("退订链接无效或已过期。")
    with transaction.atomic():
        get_user_model().objects.select_for_update().only("pk").get(pk=sub.user_id)
        sub = PolicySubscription.objects.get(pk=sub.pk)
        if sub.active:
            return sub
        if same := _active_with_content(sub.user_id, _content(sub)):
            raise ValidationFailed(f"已有相同内容的订阅（{same.summary}），无需恢复。")
        sub.active = True
        sub.last_checked_at = timezone.now()
        sub.save(update_fields=["active", "last_checked_at"])
    return sub


def unsubscribe(*, token: str) -> PolicySubscription:
    """One-click unsubscribe by the token in the message link."""
    sub = PolicySubscription.objects.filter(token=token).first()
    if sub is None:
        raise NotFound("退订链接无效或已过期。")
    if sub.active:
        sub.active = False
        sub.save(update_fields=["active"])
    return sub
