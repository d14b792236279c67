"""投标保证金: optional, at most 2% of the budget (政府采购法实施条例第三十三条, rule bid_bond_max), set at creation
or later until the evaluation ends; shown on the page, in the API and in the report."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fazhi.bidding import services
from fazhi.bidding.models import Project, Rule, Status
from fazhi.bidding.report import build_report
from fazhi.bidding.rules import ensure_rules
from fazhi.core.docx_text import lines
from fazhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from fazhi.core.models import AuditEvent

API = "/api/v1/bidding"


@pytest.mark.django_db
def test_a_bond_of_exactly_two_percent_of_the_budget_is_accepted(make_project):
    project = make_project(budget="3000000", bid_bond="60000")
    assert project.bid_bond == Decimal("60000")
    assert make_project().bid_bond is None and make_project(bid_bond="").bid_bond is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bond", "message"),
    [
        (
            "60000.01",
            "投标保证金 60,000.01 元超过预算金额 3,000,000.00 元的 2%（60,000.00 元）。依据：政府采购法实施条例第三十三条",
        ),
        ("0", "须大于 0；不收取投标保证金的请留空"),
        ("-5", "须大于 0"),
        ("100.001", "最多保留 2 位小数"),
        ("六万", "不是有效的数字"),
    ],
)
def test_a_bad_bond_is_refused_and_no_project_is_created(make_project, bond, message):
    with pytest.raises(ValidationFailed, match=message):
        make_project(code="BOND-BAD", budget="3000000", bid_bond=bond)
    assert not Project.objects.filter(code="BOND-BAD").exists()


@pytest.mark.django_db
def test_the_share_is_an_admin_rule(make_project):
    ensure_rules()
    Rule.objects.filter(key="bid_bond_max").update(value={"pct": 1})
    with pytest.raises(ValidationFailed, match="的 1%（30,000.00 元）"):
        make_project(budget="3000000", bid_bond="30000.01")


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [{"pct": 0}, {"pct": 101}, {"pct": "2"}, {"pct": True}, {}])
def test_a_nonsense_share_is_refused_in_the_admin(bad):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="pct"):
        Rule(key="bid_bond_max", title="保证金", source="测试", value=bad).full_clean()


@pytest.mark.django_db
def test_the_bond_can_be_changed_until_the_evaluation_ends_and_each_change_is_logged(make_project, buyer):
    project = make_project(budget="3000000")
    services.set_bid_bond(project=project, actor=buyer, bid_bond="50000")
    project.refresh_from_db()
    assert project.bid_bond == Decimal("50000")
    event = AuditEvent.objects.filter(action="update", object_id=str(project.pk)).latest("seq")
    assert "50,000.00" in event.comment
    with pytest.raises(ValidationFailed, match="超过预算金额"):
        services.set_bid_bond(project=project, actor=buyer, bid_bond="70000")
    project.refresh_from_db()
    assert project.bid_bond == Decimal("50000")  # unchanged on a bad value
    services.set_bid_bond(project=project, actor=buyer, bid_bond=None)
    project.refresh_from_db()
    assert project.bid_bond is None
    Project.objects.filter(pk=project.pk).update(status=Status.EVALUATED)
    with pytest.raises(Conflict, match="评标结束后不能再修改投标保证金"):
        services.set_bid_bond(project=project, actor=buyer, bid_bond="1000")


@pytest.mark.django_db
def test_only_procurement_staff_set_the_bond(make_project, outsider, supervisor):
    project = make_project()
    for user in (outsider, supervisor):
        with pytest.raises(PermissionDenied):
            services.set_bid_bond(project=project, actor=user, bid_bond="1000")
    project.refresh_from_db()
    assert project.bid_bond is None


@pytest.mark.django_db
def test_the_api_creates_and_updates_the_bond(client, buyer, outsider, supervisor, token_for, sites):
    from tests.bidding.test_api import project_payload

    headers = token_for(buyer)
    r = client.post(
        f"{API}/projects",
        project_payload(sites, bid_bond="16000"),
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 201 and Decimal(r.json()["bid_bond"]) == 16000
    pk = r.json()["id"]
    r = client.post(
        f"{API}/projects",
        project_payload(sites, code="API-BOND", bid_bond="16000.01"),
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 400 and "超过预算金额 800,000.00 元的 2%" in r.json()["detail"]
    url = f"{API}/projects/{pk}/bid-bond"
    for other in (outsider, supervisor):
        r = client.put(url, {"bid_bond": "100"}, content_type="application/json", headers=token_for(other))
        assert r.status_code == 403
    r = client.put(url, {"bid_bond": "8000"}, content_type="application/json", headers=headers)
    assert r.status_code == 200 and Decimal(r.json()["bid_bond"]) == 8000
    r = client.put(url, {"bid_bond": None}, content_type="application/json", headers=headers)
    assert r.status_code == 200 and r.json()["bid_bond"] is None
    assert client.get(f"{API}/projects/{pk}", headers=headers).json()["bid_bond"] is None


@pytest.mark.django_db
def test_the_page_shows_and_sets_the_bond(login, buyer, supervisor, make_project):
    project = make_project(budget="3000000", bid_bond="20000")
    page = login(supervisor).get(f"/bidding/projects/{project.pk}/").content.decode()
    assert "20000.00 元" in page and "不得超过预算金额的 2%，政府采购法实施条例第三十三条" in page
    assert "保存投标保证金" not in page
    r = login(supervisor).post(f"/bidding/projects/{project.pk}/bid-bond/", {"bid_bond": "1"})
    assert r.status_code == 403
    client = login(buyer)
    r = client.post(f"/bidding/projects/{project.pk}/bid-bond/", {"bid_bond": "70000"})
    assert (
        r.status_code == 400
        and "超过预算金额" in r.content.decode()
        and 'value="70000"' in r.content.decode()
    )
    r = client.post(f"/bidding/projects/{project.pk}/bid-bond/", {"bid_bond": "30000"}, follow=True)
    assert "投标保证金已设为 30,000.00 元。" in r.content.decode()
    project.refresh_from_db()
    assert project.bid_bond == Decimal("30000")


@pytest.mark.django_db
def test_the_report_states_the_bond(make_project):
    assert "投标保证金（元） | 20,000.00" in lines(build_report(make_project(bid_bond="20000")))
    assert "投标保证金（元） | 不收取" in lines(build_report(make_project()))
