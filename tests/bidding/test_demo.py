"""The demo data: 主场 汉阳, 副场 九江 and 孝感, a drawn committee with the conflicted experts left out."""

import io

import pytest

from fazhi.bidding.demo import BIDDERS, setup_demo
from fazhi.bidding.models import Draw, Expert, Project
from fazhi.bidding.services.draw import verify_draw
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
