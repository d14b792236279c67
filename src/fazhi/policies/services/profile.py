"""The enterprise profile (企业画像): validated, its size computed from the 300号 table, and saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.core import accounts, credit_code, login_guard, roles
from fazhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from fazhi.core.limits import check_field, check_length
from fazhi.core.permissions import has_role
from fazhi.policies import matching, sizing
from fazhi.policies.models import EnterpriseProfile
from fazhi.policies.services.values import KNOWN_TAGS, MAX_EMPLOYEES, _as_date, _as_decimal, _as_int, _as_list

EARLIEST_ESTABLISHED = dt.date(1900, 1, 1)  # an earlier 成立日期 is a typing slip


def clean_profile(data: dict[str, Any]) -> dict[str, Any]:
    """Validate an enterprise profile; the size is computed from the 300号 table."""
    name = str(data.get("name") or "").strip()
    if not name:
        raise ValidationFailed("请填写企业名称。")
    check_field(name, EnterpriseProfile, "name", "企业名称")
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
    region = matching.canonical_region(str(data.get("region") or ""))
    check_length(region, "所在地区", 100)
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


SAVE_PROFILE_MESSAGE = "只有企业用户可以保存企业画像。"


def save_profile(*, actor: Any, data: dict[str, Any]) -> EnterpriseProfile:
    """Save the enterprise user's own profile."""
    if not has_role(actor, roles.ENTERPRISE):
        raise PermissionDenied(SAVE_PROFILE_MESSAGE)
    values = clean_profile(data)
    with transaction.atomic():
        if values["credit_code"]:
            # Registration takes the same lock: a code cannot be registered and saved here at once.
            login_guard.serialize("register")
            if accounts.credit_code_taken(values["credit_code"], except_user_id=actor.pk):
                raise CreditCodeTaken(accounts.CREDIT_CODE_TAKEN)
        profile, _ = EnterpriseProfile.objects.update_or_create(owner=actor, defaults=values)
    return profile


class CreditCodeTaken(Conflict):
    """The 统一社会信用代码 is held by another enterprise's account or profile (a field error on the page)."""


def code_held_by_profile(code: str, except_user_id: int | None) -> bool:
    """Registered with core.accounts: another user's enterprise profile holds this credit code."""
    found = EnterpriseProfile.objects.filter(credit_code=code)
    if except_user_id is not None:
        found = found.exclude(owner_id=except_user_id)
    return found.exists()
