"""审计日志: record every write with who/when/what/before/after, chained by SHA-256.

Model writes in fazhi apps are recorded automatically through signals (create/update/delete and
role changes); services add explicit events for state changes with a comment via `record()`.
A model opts out with the class attribute `audit_exempt = True` (high-volume or derived rows).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

GENESIS = "0" * 64
LONG_VALUE = 2000  # longer values are stored as their hash and length


@dataclass
class RequestContext:
    user: Any = None
    request_id: str = ""
    ip: str = ""


_context: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "fazhi_audit_ctx", default=None
)
_suspended: contextvars.ContextVar[bool] = contextvars.ContextVar("fazhi_audit_suspended", default=False)


def set_context(ctx: RequestContext | None) -> contextvars.Token:
    return _context.set(ctx)


def reset_context(token: contextvars.Token) -> None:
    _context.reset(token)


class suspended:
    """Context manager: bulk imports record one summary event instead of one per row."""

    def __enter__(self) -> None:
        self._token = _suspended.set(True)

    def __exit__(self, *exc: object) -> None:
        _suspended.reset(self._token)


class acting_as:
    """Context manager for commands and tasks: attribute writes to `user`."""

    def __init__(self, user: Any, request_id: str = "") -> None:
        self.ctx = RequestContext(user=user, request_id=request_id or f"cli-{uuid.uuid4().hex[:12]}")

    def __enter__(self) -> None:
        self._token = _context.set(self.ctx)

    def __exit__(self, *exc: object) -> None:
        _context.reset(self._token)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "storage"):  # FieldFile
        return value.name or ""
    text = str(value)
    return text


def _compact(value: Any) -> Any:
    value = _jsonable(value)
    if isinstance(value, str) and len(value) > LONG_VALUE:
        return {
            "sha256": hashlib.sha256(value.encode()).hexdigest(),
            "length": len(value),
            "head": value[:200],
        }
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's concrete field values as JSON-friendly data."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in ("password",):
            data[field.name] = "******"
            continue
        data[field.attname] = _compact(field.value_from_object(instance))
    return data


def _canonical(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _row_payload(ev: Any) -> dict[str, Any]:
    return {
        "seq": ev.seq,
        "at": _jsonable(ev.at),
        "actor": ev.actor_name,
        "action": ev.action,
        "object_type": ev.object_type,
        "object_id": ev.object_id,
        "before": ev.before,
        "after": ev.after,
        "comment": ev.comment,
        "request_id": ev.request_id,
        "ip": ev.ip,
        "prev_hash": ev.prev_hash,
    }


def compute_hash(ev: Any) -> str:
    return hashlib.sha256(_canonical(_row_payload(ev)).encode()).hexdigest()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [0x66617A68])


def record(
    *,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    comment: str = "",
    actor: Any = None,
) -> Any:
    """Append one event to the chain and return it."""
    from fazhi.core.models import AuditEvent

    ctx = _context.get() or RequestContext()
    user = actor if actor is not None else ctx.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
        ev = AuditEvent(
            seq=(last.seq + 1) if last else 1,
            at=timezone.now(),
            actor=user,
            actor_name=getattr(user, "username", "") if user else "",
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:300],
            before=_jsonable(before) if before is not None else None,
            after=_jsonable(after) if after is not None else None,
            comment=comment,
            request_id=ctx.request_id,
            ip=ctx.ip,
            prev_hash=last.hash if last else GENESIS,
        )
        ev.hash = compute_hash(ev)
        ev.save(force_insert=True)
    return ev


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify_chain() -> VerifyResult:
    """Recompute every hash in order; report the first row that does not match."""
    from fazhi.core.models import AuditEvent

    prev = GENESIS
    count = 0
    expected_seq = 1
    for ev in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if ev.seq != expected_seq:
            return VerifyResult(
                False, count, ev.seq, f"序号不连续：期望 {expected_seq}，实际 {ev.seq}（有记录被删除或插入）"
            )
        if ev.prev_hash != prev:
            return VerifyResult(False, count, ev.seq, f"第 {ev.seq} 条记录的前序哈希与上一条不一致")
        if compute_hash(ev) != ev.hash:
            return VerifyResult(False, count, ev.seq, f"第 {ev.seq} 条记录内容被篡改（哈希不匹配）")
        prev = ev.hash
        expected_seq += 1
    return VerifyResult(True, count)


# --- automatic recording of model writes -------------------------------------------------------


def _tracked(sender: type[models.Model]) -> bool:
    if getattr(sender, "audit_exempt", False):
        return False
    module = sender.__module__ or ""
    return module.startswith("fazhi.")


def _on_pre_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kw: Any) -> None:
    if raw or _suspended.get() or not _tracked(sender):
        return
    instance._audit_before = None  # type: ignore[attr-defined]
    if instance.pk is not None and not instance._state.adding:
        old = sender._default_manager.filter(pk=instance.pk).first()
        if old is not None:
            instance._audit_before = snapshot(old)  # type: ignore[attr-defined]


def _on_post_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kw: Any
) -> None:
    if raw or _suspended.get() or not _tracked(sender):
        return
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        record(action="create", obj=instance, after=after)
        return
    changed = sorted(k for k in after if before.get(k) != after.get(k))
    if not changed:
        return
    record(
        action="update",
        obj=instance,
        before={k: before.get(k) for k in changed},
        after={k: after[k] for k in changed},
    )


def _on_post_delete(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    if _suspended.get() or not _tracked(sender):
        return
    record(action="delete", obj=instance, before=snapshot(instance))


def _on_m2m(
    sender: Any, instance: models.Model, action: str, model: type, pk_set: set | None, **kw: Any
) -> None:
    if _suspended.get() or action not in ("post_add", "post_remove", "post_clear"):
        return
    if not _tracked(type(instance)):
        return
    names = sorted(str(o) for o in model._default_manager.filter(pk__in=pk_set or []))  # type: ignore[attr-defined]
    verb = {"post_add": "add", "post_remove": "remove", "post_clear": "clear"}[action]
    record(action=f"m2m_{verb}", obj=instance, after={"relation": sender._meta.label, "items": names})


def connect_signals() -> None:
    pre_save.connect(_on_pre_save, dispatch_uid="fazhi_audit_pre_save")
    post_save.connect(_on_post_save, dispatch_uid="fazhi_audit_post_save")
    post_delete.connect(_on_post_delete, dispatch_uid="fazhi_audit_post_delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="fazhi_audit_m2m")
