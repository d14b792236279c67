"""Core writes: demo accounts and in-site messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from fazhi.core import roles
from fazhi.core.batches import chunks
from fazhi.core.models import Message, User


def ensure_roles() -> None:
    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)


def ensure_user(
    *,
    username: str,
    display_name: str,
    role_names: list[str],
    is_staff: bool = False,
    password: str | None = None,
    department: str = "区财政局",
) -> User:
    """Create (or update the roles of) an account; the password is set only on creation."""
    ensure_roles()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"display_name": display_name, "is_staff": is_staff, "department": department},
    )
    if created:
        user.set_password(password or settings.DEMO_PASSWORD)
        if role_names == [roles.SYSADMIN]:
            user.is_superuser = True
            user.is_staff = True
        user.save()
    groups = list(Group.objects.filter(name__in=role_names))
    user.groups.add(*groups)
    return user


def create_demo_accounts() -> list[User]:
    """The demo accounts of roles.DEMO_ACCOUNTS; an existing one keeps its password but takes the listed
    back-office (is_staff) access, so a demo database made before a change of that list follows it."""
    users = []
    for name, (display, role_names, staff) in roles.DEMO_ACCOUNTS.items():
        user = ensure_user(username=name, display_name=display, role_names=role_names, is_staff=staff)
        if staff and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        users.append(user)
    return users


def notify(
    *,
    recipient: User,
    title: str,
    body: str = "",
    url: str = "",
    category: str = "",
    dedupe_key: str = "",
    email: bool = False,
) -> Message | None:
    """Send an in-site message (and optionally an e-mail); a repeated dedupe_key sends nothing."""
    if dedupe_key and Message.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            msg = Message.objects.create(
                recipient=recipient,
                title=title[:300],
                body=body,
                url=url,
                category=category,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        return None
    if email and recipient.email:
        send_mail(title, body + (f"\n\n{url}" if url else ""), None, [recipient.email], fail_silently=True)
    return msg


def store_messages(messages: Iterable[Message], *, batch: int = 500) -> list[Message]:
    """Store in-site messages in bulk, each (recipient, dedupe key) at most once; returns those stored.

    Messages whose key the recipient already has, and repeats within `messages`, are skipped; messages
    without a key are always stored. A lookup and an insert per `batch` messages; if another process
    stored some of the same keys meanwhile, that batch is written one message at a time instead.
    """
    stored: list[Message] = []
    seen: set[tuple[int, str]] = set()
    todo: list[Message] = []
    for msg in messages:
        assert msg.recipient_id is not None
        if msg.dedupe_key:
            pair = (msg.recipient_id, msg.dedupe_key)
            if pair in seen:
                continue
            seen.add(pair)
        todo.append(msg)
    for chunk in chunks(todo, batch):
        keyed = [m for m in chunk if m.dedupe_key]
        existing: set[tuple[int, str]] = set()
        if keyed:
            existing = set(
                Message.objects.filter(
                    recipient_id__in={m.recipient_id for m in keyed},
                    dedupe_key__in={m.dedupe_key for m in keyed},
                ).values_list("recipient_id", "dedupe_key")
            )
        new = [m for m in chunk if not m.dedupe_key or (m.recipient_id, m.dedupe_key) not in existing]
        if not new:
            continue
        try:
            with transaction.atomic():
                Message.objects.bulk_create(new)
            stored.extend(new)
        except IntegrityError:
            for msg in new:
                msg.pk = None
                try:
                    with transaction.atomic():
                        msg.save(force_insert=True)
                    stored.append(msg)
                except IntegrityError:
                    continue
    return stored


def inbox_of(user: Any, *, unread: bool = False) -> QuerySet[Message]:
    """The user's own messages, newest first (only the unread ones with `unread`)."""
    mine = Message.objects.filter(recipient_id=user.pk).order_by("-created_at", "-pk")
    return mine.filter(read_at__isnull=True) if unread else mine


def mark_read(*, user: Any, message_id: int) -> Message | None:
    """Mark one of the user's messages read; None when the user has no such message (another user's
    message is as unknown as one that does not exist)."""
    msg = Message.objects.filter(pk=message_id, recipient_id=user.pk).first()
    if msg is not None and msg.read_at is None:
        msg.read_at = timezone.now()
        msg.save(update_fields=["read_at"])
    return msg


def mark_all_read(*, user: Any) -> int:
    """全部标为已读: every unread message of the user; how many were marked."""
    return inbox_of(user, unread=True).update(read_at=timezone.now())


def users_with_role(*role_names: str) -> Any:
    return User.objects.filter(is_active=True, groups__name__in=role_names).distinct()
