"""Who may see and change performance information (see the models' docstring for the decision)."""

from __future__ import annotations

from typing import Any, NoReturn

from fazhi.core import roles
from fazhi.core.errors import PermissionDenied
from fazhi.core.permissions import has_role

# The bureau reviews, publishes and evaluates; 系统管理员 is a superuser and passes every role check.
BUREAU_ROLES = (roles.LEADER, roles.SYSADMIN)


def is_bureau(user: Any) -> bool:
    return has_role(user, *BUREAU_ROLES)


def is_supervisor(user: Any) -> bool:
    return has_role(user, roles.SUPERVISOR)


def member_unit_ids(user: Any) -> set[int]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached = getattr(user, "_perf_unit_ids", None)
    if cached is None:
        cached = set(user.budget_units.filter(is_active=True).values_list("pk", flat=True))
        user._perf_unit_ids = cached
    return cached


def sees_all_units(user: Any) -> bool:
    return is_bureau(user) or is_supervisor(user)


def can_view_internal(user: Any) -> bool:
    return sees_all_units(user) or bool(member_unit_ids(user))


def can_view_unit(user: Any, unit_id: int) -> bool:
    return sees_all_units(user) or unit_id in member_unit_ids(user)


def require_internal(user: Any) -> None:
    """Refuse a user who sees no unit at all (neither the bureau, a supervisor nor a unit's member)."""
    if not can_view_internal(user):
        raise PermissionDenied("您的账号无权访问预算绩效信息。")


def require_view_unit(user: Any, unit_id: int) -> None:
    if not can_view_unit(user, unit_id):
        raise PermissionDenied("您无权查看该预算单位的绩效信息。")


def _refuse_editor(user: Any) -> NoReturn:
    if is_supervisor(user) and not is_bureau(user):
        raise PermissionDenied("监督方账号只能查看和留言，不能修改绩效信息。")
    raise PermissionDenied("只有本预算单位的填报人员可以填报或修改绩效目标表和自评表。")


def require_unit_editor(user: Any, unit_id: int) -> None:
    """Only the unit's own members fill in its tables (the bureau reviews them, it does not fill them)."""
    if unit_id not in member_unit_ids(user):
        _refuse_editor(user)


def require_some_unit_editor(user: Any) -> None:
    """Before the unit is known: refuse, as require_unit_editor would, a user who is a member of no unit."""
    if not member_unit_ids(user):
        _refuse_editor(user)


def require_bureau(user: Any, action: str = "执行此操作") -> None:
    if not is_bureau(user):
        if is_supervisor(user):
            raise PermissionDenied("监督方账号只能查看和留言，不能修改绩效信息。")
        raise PermissionDenied(f"只有财政局（分管领导或系统管理员）可以{action}。")


def require_writer(user: Any, unit_id: int) -> None:
    """Either side of the workflow: the unit's members or the bureau (checked before anything else)."""
    if unit_id not in member_unit_ids(user) and not is_bureau(user):
        _refuse_editor(user)


def require_some_writer(user: Any) -> None:
    """Before the unit is known: refuse, as require_writer would, a user who is neither a unit's member nor
    the bureau."""
    if not member_unit_ids(user) and not is_bureau(user):
        _refuse_editor(user)


def require_remarker(user: Any) -> None:
    if not (is_supervisor(user) or is_bureau(user)):
        raise PermissionDenied("只有监督方和财政局可以留言。")
