"""A policy's 解读 link: the admin refuses a policy interpreting itself or the policy that interprets it, and
the policy page names each linked policy once and never the policy itself."""

from __future__ import annotations

from fazhi.policies import selectors
from fazhi.policies.models import Policy

from .test_admin import admin_data

MESSAGE = "不能把政策设为解读自身"


def test_the_admin_refuses_a_policy_interpreting_itself(login, sysadmin, make_policy):
    policy = make_policy(title="稳岗补贴")
    resp = login(sysadmin).post(
        f"/admin/policies/policy/{policy.pk}/change/", admin_data(interpretation_of=str(policy.pk))
    )
    assert resp.status_code == 200 and MESSAGE in resp.content.decode()
    policy.refresh_from_db()
    assert policy.interpretation_of_id is None


def test_the_admin_refuses_a_loop_of_two_and_accepts_a_plain_interpretation(login, sysadmin, make_policy):
    policy = make_policy(title="稳岗补贴")
    reading = make_policy(title="稳岗补贴政策解读")
    client = login(sysadmin)
    ok = client.post(
        f"/admin/policies/policy/{reading.pk}/change/",
        admin_data(title="稳岗补贴政策解读", interpretation_of=str(policy.pk)),
    )
    assert ok.status_code == 302
    resp = client.post(
        f"/admin/policies/policy/{policy.pk}/change/", admin_data(interpretation_of=str(reading.pk))
    )
    assert resp.status_code == 200 and MESSAGE in resp.content.decode()
    assert Policy.objects.get(pk=policy.pk).interpretation_of_id is None


def test_related_policies_never_list_the_policy_itself_nor_one_twice(make_policy):
    policy = make_policy(title="稳岗补贴")
    reading = make_policy(title="稳岗补贴政策解读")
    # Links saved before the admin refused them (or written to the database directly).
    Policy.objects.filter(pk=policy.pk).update(interpretation_of=reading)
    Policy.objects.filter(pk=reading.pk).update(interpretation_of=policy)
    policy = selectors.get_policy(policy.pk)
    related = [p.pk for p in selectors.related_policies(policy)]
    assert related == [reading.pk]
    Policy.objects.filter(pk=policy.pk).update(interpretation_of=policy)
    assert policy.pk not in [p.pk for p in selectors.related_policies(selectors.get_policy(policy.pk))]
