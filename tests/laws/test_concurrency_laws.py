"""法规库: a law's new text entered twice at once (the form sent twice) is one version, the only latest."""

from __future__ import annotations

import pytest

from fazhi.core.errors import Conflict
from fazhi.laws import services
from fazhi.laws.models import LawVersion
from tests.concurrency import Interleaving, on_postgresql

TEXT = "区级财政资金管理办法\n第一条 为了规范资金管理，制定本办法。\n第二条 本办法自公布之日起施行。"
AMENDED = TEXT + "\n第三条 本办法由区财政局负责解释。"


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_new_version_entered_twice_at_once_is_stored_once(sysadmin, monkeypatch):
    services.add_law_from_text(user=sysadmin, text=TEXT)
    order = Interleaving()
    manager = LawVersion.objects
    original = manager.create

    def slow_create(**kwargs):  # "is this text new?" is answered; the version is not stored yet
        order.hold()
        return original(**kwargs)

    monkeypatch.setattr(manager, "create", slow_create)
    first, second = order.run(
        lambda: services.add_law_from_text(user=sysadmin, text=AMENDED),
        lambda: services.add_law_from_text(user=sysadmin, text=AMENDED),
    )
    assert isinstance(first, LawVersion)
    assert isinstance(second, Conflict) and "完全相同的文本版本" in second.message
    versions = LawVersion.objects.filter(law=first.law)
    assert versions.count() == 2 and versions.filter(is_latest=True).count() == 1
