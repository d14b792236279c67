"""起草人 has staff status (the admin is where cases, 宣传节点 and 责任清单 are edited) and nothing more."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse

from fazhi.core import roles
from fazhi.core.models import User
from fazhi.core.services import create_demo_accounts

# The admin pages of these apps check the 法规科 editor roles; every other app's pages must refuse a drafter.
EDITOR_APPS = {"cases", "publicity"}


def test_the_demo_drafter_is_staff(db):
    create_demo_accounts()
    drafter = User.objects.get(username="drafter")
    assert drafter.is_staff and not drafter.is_superuser
    assert set(drafter.groups.values_list("name", flat=True)) == {roles.DRAFTER, roles.STAFF_MEMBER}


def test_a_staff_drafter_reaches_the_case_admin_and_no_other_apps_admin(db, login):
    create_demo_accounts()
    c = login(User.objects.get(username="drafter"))
    assert c.get("/admin/cases/case/").status_code == 200
    assert c.get("/admin/cases/case/add/").status_code == 200
    assert c.get("/admin/publicity/campaign/").status_code == 200
    checked = []
    for model in admin.site._registry:
        meta = model._meta
        if meta.app_label in EDITOR_APPS:
            continue
        for view in ("changelist", "add"):
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}")
            assert c.get(url).status_code == 403, url
            checked.append(url)
    assert "/admin/bidding/project/" in checked and "/admin/exams/exam/" in checked
    assert "/admin/laws/law/" in checked and "/admin/core/user/" in checked
    index = c.get("/admin/").content.decode()
    assert "以案释法" in index
    for other in ("学法考试", "惠企政策", "法规库"):
        assert other not in index, other


def test_demo_setup_gives_an_existing_demo_drafter_the_listed_staff_access(db):
    from fazhi.core.models import User
    from fazhi.core.services import create_demo_accounts

    create_demo_accounts()
    User.objects.filter(username="drafter").update(is_staff=False)  # a database made before the change
    create_demo_accounts()
    assert User.objects.get(username="drafter").is_staff
