"""store_messages: in-site messages written in bulk, each (recipient, dedupe key) once, even when another
run stored some of them between the lookup and the insert."""

from __future__ import annotations

from fazhi.core.models import Message
from fazhi.core.services import notify, store_messages


def _msg(user, key: str, title: str = "提醒") -> Message:
    return Message(recipient=user, title=title, body="正文", dedupe_key=key)


def test_sent_keys_and_repeats_are_skipped_and_keyless_messages_always_stored(clerk, reviewer):
    notify(recipient=clerk, title="旧提醒", dedupe_key="k1")
    stored = store_messages(
        [
            _msg(clerk, "k1"),  # sent before
            _msg(clerk, "k2"),
            _msg(clerk, "k2"),  # a repeat within the call
            _msg(reviewer, "k1"),  # same key, another recipient
            _msg(clerk, ""),
            _msg(clerk, ""),
        ],
        batch=2,
    )
    assert [(m.recipient_id, m.dedupe_key) for m in stored] == [
        (clerk.pk, "k2"),
        (reviewer.pk, "k1"),
        (clerk.pk, ""),
        (clerk.pk, ""),
    ]
    assert all(m.pk for m in stored)
    assert Message.objects.filter(recipient=clerk, dedupe_key="k1").count() == 1
    assert Message.objects.filter(recipient=clerk, dedupe_key="k2").count() == 1
    assert Message.objects.count() == 5


def test_a_key_stored_meanwhile_falls_back_to_one_insert_each(clerk, monkeypatch):
    notify(recipient=clerk, title="另一次运行已发送", dedupe_key="k1")
    # The lookup misses it, as if the other run committed after this one looked.
    monkeypatch.setattr(Message.objects, "filter", lambda **kw: Message.objects.none())
    stored = store_messages([_msg(clerk, "k1"), _msg(clerk, "k2"), _msg(clerk, "k3")])
    monkeypatch.undo()
    assert sorted(m.dedupe_key for m in stored) == ["k2", "k3"]
    assert sorted(Message.objects.filter(recipient=clerk).values_list("dedupe_key", flat=True)) == [
        "k1",
        "k2",
        "k3",
    ]
