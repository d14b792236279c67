"""Subscriptions to policies: subscribe (one active per content), unsubscribe, resubscribe."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from fazhi.core import roles
from fazhi.core.errors import NotFound, PermissionDenied, ValidationFailed
from fazhi.core.permissions import has_role
from fazhi.policies import extract, sizing
from fazhi.policies.models import EnterpriseProfile, Policy, PolicySubscription
from fazhi.policies.services.values import _as_list

SUBSCRIBE_MESSAGE = "只有企业用户可以订阅惠企政策。"


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
        raise PermissionDenied(SUBSCRIBE_MESSAGE)
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
