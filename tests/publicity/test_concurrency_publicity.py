"""普法责任清单 and 普法活动 sent twice (a double click) or at once: recorded once, no status lost."""

from __future__ import annotations

import pytest

from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.publicity import services
from fazhi.publicity.models import Activity, ItemStatus, ResponsibilityItem, ResponsibilityList
from fazhi.publicity.services import responsibility
from tests.concurrency import Interleaving, at_once, on_postgresql

ACTIVITY = {"title": "预算法专题讲座", "date": "2026-06-20", "place": "局会议室", "form": "lecture"}


@pytest.fixture
def item(clerk):
    lst = services.create_list(user=clerk, year=2026, department="预算科")
    return services.add_item(
        user=clerk, list_id=lst.pk, law_title="预算法", audiences="预算单位", planned_activity="讲座"
    )


@pytest.mark.django_db
def test_the_same_item_added_twice_is_refused_the_second_time(clerk, item):
    with pytest.raises(Conflict, match="清单中已有相同的事项"):
        services.add_item(
            user=clerk,
            list_id=item.responsibility_list_id,
            law_title="预算法",
            audiences="预算单位",
            planned_activity="讲座",
        )
    assert ResponsibilityItem.objects.count() == 1


@pytest.mark.django_db
def test_the_same_activity_recorded_twice_is_refused_the_second_time(clerk, item):
    services.record_activity(user=clerk, data={**ACTIVITY, "item": item.pk})
    with pytest.raises(Conflict, match="已登记过这次活动.*请勿重复提交"):
        services.record_activity(user=clerk, data={**ACTIVITY, "item": item.pk})
    assert Activity.objects.count() == 1
    services.record_activity(user=clerk, data={**ACTIVITY, "item": item.pk, "date": "2026-06-21"})  # next day
    assert Activity.objects.count() == 2


@pytest.mark.django_db
def test_setting_the_same_status_twice_logs_one_change(clerk, item):
    for _ in range(3):
        services.set_item_status(user=clerk, item_id=item.pk, status=ItemStatus.DONE)
    events = AuditEvent.objects.filter(object_type="publicity.ResponsibilityItem", action="transition")
    assert events.count() == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_activity_recorded_while_its_item_is_marked_done_keeps_it_done(clerk, item, monkeypatch):
    order = Interleaving()
    original = responsibility._choice

    def slow_choice(*args, **kwargs):  # the activity's item is read; its status is not written yet
        order.hold()
        return original(*args, **kwargs)

    monkeypatch.setattr(responsibility, "_choice", slow_choice)  # where both services look it up
    recorded, marked = order.run(
        lambda: services.record_activity(user=clerk, data={**ACTIVITY, "item": item.pk}),
        lambda: services.set_item_status(user=clerk, item_id=item.pk, status=ItemStatus.DONE),
    )
    assert isinstance(recorded, Activity) and isinstance(marked, ResponsibilityItem), (recorded, marked)
    assert ResponsibilityItem.objects.get(pk=item.pk).status == ItemStatus.DONE


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_list_created_twice_at_once_is_refused_not_a_500(clerk):
    results = at_once(*[lambda: services.create_list(user=clerk, year=2027, department="办公室")] * 3)
    assert sum(isinstance(r, ResponsibilityList) for r in results) == 1
    refused = [r for r in results if not isinstance(r, ResponsibilityList)]
    assert all(isinstance(r, ValidationFailed) and "已存在" in r.message for r in refused), refused
