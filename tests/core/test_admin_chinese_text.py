"""The admin reads in Chinese where Django leaves English: the alternative texts of its search box and its
yes/no icons (read out by screen readers), the permission names on the user and group pages, the note on a
new account's page, and the title of a form sent back with errors."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from fazhi.exams.services import staff

pytestmark = pytest.mark.django_db


def test_permissions_are_named_in_chinese_after_migrating():
    assert not Permission.objects.filter(name__startswith="Can ").exists()
    assert Permission.objects.get(codename="add_logentry").name == "可新增日志记录"
    assert Permission.objects.get(codename="view_policy").name == "可查看惠企政策"


def test_the_list_icons_and_the_search_box_are_read_in_chinese(login, sysadmin, examadmin):
    from fazhi.core.services import ensure_user

    person = ensure_user(
        username="alt_one", display_name="甲", role_names=["工作人员"], password="x-pass-2026"
    )
    staff.register_staff(user=person, department="法规科", enforcement_post=False)
    page = login(examadmin).get("/admin/exams/staffprofile/").content.decode()
    assert 'alt="否"' in page and 'alt="是"' in page  # 执法岗位 no, 在岗 yes
    assert 'alt="搜索"' in page
    for english in ('alt="True"', 'alt="False"', 'alt="None"', 'alt="Search"'):
        assert english not in page


def test_the_new_account_page_and_the_user_permissions_are_chinese(login, sysadmin):
    page = login(sysadmin).get("/admin/core/user/add/").content.decode()
    assert "创建用户后，可以继续编辑该用户的其他信息。" in page and "After you" not in page
    groups = login(sysadmin).get("/admin/auth/group/add/").content.decode()
    assert "可新增日志记录" in groups and "Can add" not in groups
