"""The demo data: 主场 汉阳, 副场 九江 and 孝感, a drawn committee with the conflicted experts left out, and an
evaluated project whose remote-evaluation records and contract are filled in."""

import io

import pytest

from fazhi.bidding.demo import BIDDERS, EVALUATED_CODE, setup_demo
from fazhi.bidding.models import AvArchive, Draw, Expert, Handover, IdentityCheck, Project, Status
from fazhi.bidding.services.contracts import contract_deadline
from fazhi.bidding.services.draw import verify_draw
from fazhi.bidding.services.handovers import handover_due
from fazhi.bidding.services.sizing_check import size_check
from fazhi.bidding.services.time_checks import time_notes
from fazhi.core.models import AuditEvent
from fazhi.core.services import create_demo_accounts


@pytest.mark.django_db
def test_the_demo_is_created_once_and_its_draw_skips_conflicted_experts():
    create_demo_accounts()
    out = io.StringIO()
    setup_demo(out)
    setup_demo(out)
    assert "已创建演示项目" in out.getvalue() and "演示项目已存在，跳过" in out.getvalue()
    project = Project.objects.get(code="HYCG-2026-001")
    assert project.host_site.region == "武汉市汉阳区"
    assert sorted(s.region for s in project.assist_sites.all()) == ["九江市", "孝感市"]
    draw = Draw.objects.get(committee__project=project)
    assert draw.seed == "20240723" and verify_draw(draw)
    employee = Expert.objects.get(employer=BIDDERS[0][0])
    assert str(employee.pk) in draw.excluded
    assert employee.pk not in {p["expert_id"] for p in draw.picked}
    assert Project.objects.get(code="HYCG-2026-002").committee_size == 7
    # 规模核验 on the demo: one claim supported, one (micro, sized small) not but still deducted.
    assert project.sme_industry == "industry"
    checks = {b.name: size_check(project, b) for b in project.bidders.all()}
    assert checks[BIDDERS[0][0]].label == "相符" and checks[BIDDERS[2][0]].label == "不符"
    assert checks[BIDDERS[2][0]].computed == "小型企业" and checks[BIDDERS[1][0]].label == ""


@pytest.mark.django_db
def test_the_evaluated_demo_project_shows_every_remote_record_and_a_second_run_adds_nothing():
    create_demo_accounts()
    setup_demo(io.StringIO())
    counts = [m.objects.count() for m in (Project, IdentityCheck, AvArchive, Handover, AuditEvent)]
    out = io.StringIO()
    setup_demo(out)
    assert [m.objects.count() for m in (Project, IdentityCheck, AvArchive, Handover, AuditEvent)] == counts
    assert "已创建" not in out.getvalue()
    project = Project.objects.get(code=EVALUATED_CODE)
    assert project.status == Status.CONFIRMED
    members = project.committees.get().members.filter(active=True)
    assert {c.member_id for c in IdentityCheck.objects.filter(result="passed")} == {m.pk for m in members}
    sites = {project.host_site_id, *project.assist_sites.values_list("pk", flat=True)}
    assert set(project.av_archives.values_list("site_id", flat=True)) == sites
    [done] = [row for row in handover_due(project) if row.handover is not None]
    assert done.site.region == "九江市" and not done.overdue
    assert len(handover_due(project)) == 2  # 孝感 is still due, not late
    assert project.contract_signed_on and project.contract_published_on
    assert not contract_deadline(project).overdue
    # Its recorded times are consistent: the report and page show no 核查提示.
    assert time_notes(project) == []


@pytest.mark.django_db
def test_a_demo_made_before_the_evaluated_project_gets_it_once():
    create_demo_accounts()
    setup_demo(io.StringIO())
    Project.objects.filter(code=EVALUATED_CODE).delete()
    out = io.StringIO()
    setup_demo(out)
    setup_demo(out)
    assert out.getvalue().count(f"已创建已评标的演示项目 {EVALUATED_CODE}") == 1
    assert Project.objects.filter(code=EVALUATED_CODE).count() == 1
