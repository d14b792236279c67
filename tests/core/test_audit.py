import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.core import audit
from fazhi.core.models import AuditEvent, User


@pytest.mark.django_db
def test_every_user_write_is_recorded_with_before_and_after():
    u = User.objects.create(username="alice", display_name="甲")
    u.display_name = "乙"
    u.save()
    events = list(AuditEvent.objects.filter(object_type="core.User", object_id=str(u.pk)).order_by("seq"))
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].before == {"display_name": "甲"} and events[1].after == {"display_name": "乙"}


@pytest.mark.django_db
def test_chain_verifies_and_detects_a_tampered_row():
    for i in range(5):
        audit.record(action="note", object_type="test", object_id=str(i), comment=f"第{i}条")
    assert audit.verify_chain().ok
    call_command("audit_verify")
    victim = AuditEvent.objects.get(object_type="test", object_id="2")
    AuditEvent.objects.filter(pk=victim.pk).update(comment="被改过")
    result = audit.verify_chain()
    assert not result.ok and result.broken_seq == victim.seq
    with pytest.raises(CommandError, match="篡改"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_a_deleted_row_breaks_the_chain():
    for i in range(3):
        audit.record(action="note", object_type="test", object_id=str(i))
    AuditEvent.objects.filter(object_type="test", object_id="1").delete()
    assert not audit.verify_chain().ok
