"""The evaluation report is submitted only when every site (主场 and each 副场) has its audio/video archive
(rule av_archive_required, on by default; 发改办法规〔2025〕807号: the two-way recording is archived)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from fazhi.bidding import services
from fazhi.bidding.models import Rule, Status
from fazhi.core.errors import Conflict, PermissionDenied
from tests.bidding.helpers import archive_all, score_all, set_rule, sign_all

API = "/api/v1/bidding"


@pytest.fixture
def evaluated(drawn, buyer):
    """Evaluation finished (评标结束), no archive recorded yet."""
    project, committee = drawn
    score_all(project, committee)
    sign_all(committee)
    services.finish_evaluation(project=project, actor=buyer)
    project.refresh_from_db()
    return project


def record(project, buyer, site):
    from django.utils import timezone

    return services.record_av_archive(
        project=project,
        actor=buyer,
        site_id=site.pk,
        reference=f"AV-{site.pk}",
        started_at=project.committees.get().formed_at,
        ended_at=timezone.now(),
    )


@pytest.mark.django_db
def test_without_archives_the_report_is_refused_naming_every_site(evaluated, buyer, sites):
    host, jiujiang = sites
    with pytest.raises(Conflict) as refused:
        services.submit_report(project=evaluated, actor=buyer)
    assert refused.value.message.startswith(
        f"不能送交评标报告：{host.name}（主场）、{jiujiang.name}（副场）尚未登记音视频存档。"
    )
    assert "发改办法规〔2025〕807号" in refused.value.message
    evaluated.refresh_from_db()
    assert evaluated.status == Status.EVALUATED and evaluated.report_submitted_at is None


@pytest.mark.django_db
def test_the_refusal_names_only_the_sites_still_missing(evaluated, buyer, sites):
    host, jiujiang = sites
    record(evaluated, buyer, host)
    with pytest.raises(Conflict, match=f"不能送交评标报告：{jiujiang.name}（副场）尚未登记") as refused:
        services.submit_report(project=evaluated, actor=buyer)
    assert host.name not in refused.value.message


@pytest.mark.django_db
def test_with_every_archive_the_report_goes(evaluated, buyer):
    archive_all(evaluated, buyer)
    assert services.submit_report(project=evaluated, actor=buyer).status == Status.REPORTED


@pytest.mark.django_db
def test_an_administrator_may_switch_the_rule_off(evaluated, buyer):
    set_rule("av_archive_required", {"required": False})
    assert services.submit_report(project=evaluated, actor=buyer).status == Status.REPORTED


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [{"required": "yes"}, {"required": 1}, {}])
def test_the_rule_takes_only_true_or_false(bad):
    with pytest.raises(ValidationError, match="required"):
        Rule(key="av_archive_required", title="存档", source="测试", value=bad).full_clean()


@pytest.mark.django_db
def test_outsiders_and_supervisors_cannot_submit_even_with_every_archive(
    evaluated, buyer, outsider, supervisor
):
    archive_all(evaluated, buyer)
    for user in (outsider, supervisor):
        with pytest.raises(PermissionDenied):
            services.submit_report(project=evaluated, actor=user)
    evaluated.refresh_from_db()
    assert evaluated.status == Status.EVALUATED


@pytest.mark.django_db
def test_the_api_answers_409_with_the_missing_sites(client, buyer, outsider, token_for, evaluated, sites):
    url = f"{API}/projects/{evaluated.pk}/report/submit"
    assert client.post(url, headers=token_for(outsider)).status_code == 403
    r = client.post(url, headers=token_for(buyer))
    assert r.status_code == 409 and f"{sites[0].name}（主场）、{sites[1].name}（副场）" in r.json()["detail"]
    archive_all(evaluated, buyer)
    r = client.post(url, headers=token_for(buyer))
    assert r.status_code == 200 and r.json()["status"] == "reported"


@pytest.mark.django_db
def test_the_page_warns_before_the_button_and_refuses_with_the_sites(login, buyer, evaluated, sites):
    client = login(buyer)
    page = client.get(f"/bidding/projects/{evaluated.pk}/").content.decode()
    assert f"送交评标报告前须登记音视频存档，尚未登记：{sites[0].name}、{sites[1].name}。" in page
    r = client.post(f"/bidding/projects/{evaluated.pk}/submit-report/")
    assert r.status_code == 409 and "尚未登记音视频存档" in r.content.decode()
    archive_all(evaluated, buyer)
    r = client.post(f"/bidding/projects/{evaluated.pk}/submit-report/", follow=True)
    assert "评标报告已送交采购人。" in r.content.decode()
