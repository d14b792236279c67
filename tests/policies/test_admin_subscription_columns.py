"""The 政策订阅 list in the admin has Chinese column headers only."""

from __future__ import annotations

from fazhi.policies.models import PolicySubscription


def test_the_subscription_list_headers_are_chinese(login, sysadmin, enterprise):
    PolicySubscription.objects.create(user=enterprise, themes=["稳岗就业"], industries=[])
    response = login(sysadmin).get("/admin/policies/policysubscription/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "订阅内容" in page and "Summary" not in page
    assert "主题：稳岗就业" in page
