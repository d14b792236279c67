"""The whole workflow over the token API."""

import pytest

from fazhi.performance.models import Status
from tests.performance.conftest import ACTUALS, ROWS

JSON = "application/json"


@pytest.mark.django_db
def test_a_unit_and_the_bureau_run_the_workflow_over_the_api(client, unit, clerk, director, token_for):
    boss, me = token_for(director), token_for(clerk)
    r = client.post("/api/v1/performance/projects", {"unit_id": unit.pk, "year": 2026, "code": "A-1", "name": "营养餐",
                    "budget_full_year": 200, "executed": "190"}, content_type=JSON, headers=boss)  # fmt: skip
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    indicators = [
        dict(
            zip(["level1", "level2", "name", "direction", "target_value", "unit", "weight"], row, strict=True)
        )
        for row in ROWS
    ]
    indicators[0]["weight"] = 21
    r = client.put(f"/api/v1/performance/projects/{pid}/target", {"annual_goal": "g", "indicators": indicators},
                   content_type=JSON, headers=me)  # fmt: skip
    assert r.status_code == 400 and "一级指标“产出”的分值合计为 51，应为 50" in r.json()["detail"]
    indicators[0]["weight"] = 20
    r = client.put(f"/api/v1/performance/projects/{pid}/target", {"annual_goal": "g", "indicators": indicators},
                   content_type=JSON, headers=me)  # fmt: skip
    assert r.status_code == 200 and len(r.json()["indicators"]) == 7
    for action, headers in [("submit", me), ("approve", boss)]:
        r = client.post(
            f"/api/v1/performance/projects/{pid}/target/transition",
            {"action": action},
            content_type=JSON,
            headers=headers,
        )
        assert r.status_code == 200, r.content
    assert r.json()["status_label"] == "已审核"
    results = [{"indicator_id": i["id"], "actual_value": ACTUALS[i["name"]][0], "deviation_reason": ACTUALS[i["name"]][1]}
               for i in r.json()["indicators"]]  # fmt: skip
    r = client.put(f"/api/v1/performance/projects/{pid}/evaluation", {"achievement": "完成", "results": results},
                   content_type=JSON, headers=me)  # fmt: skip
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["execution_rate"] == "95.00" and body["execution_score"] == "9.50"
    assert body["total_score"] == "95.50" and body["grade"] == "优"
    first = body["results"][0]
    assert first["rule"] == "proportional" and "实际 450 ÷ 目标 500" in first["explanation"]
    r = client.post(
        f"/api/v1/performance/projects/{pid}/evaluation/transition",
        {"action": "approve"},
        content_type=JSON,
        headers=boss,
    )
    assert r.status_code == 409 and "只有待审核的表可以审核" in r.json()["detail"]
    r = client.post(f"/api/v1/performance/projects/{pid}/key-evaluations", {"score": 88, "findings": "问题", "is_final": True},
                    content_type=JSON, headers=boss)  # fmt: skip
    assert r.status_code == 201 and r.json()["grade"] == "良"
    r = client.put(
        f"/api/v1/performance/publications/{unit.pk}/2026",
        {"budget_approved_on": "2026-03-01"},
        content_type=JSON,
        headers=boss,
    )
    assert r.status_code == 200 and r.json()["deadline"] == "2026-03-21"
    r = client.post(
        f"/api/v1/performance/publications/{unit.pk}/2026/publish",
        {"published_on": "2026-03-25"},
        content_type=JSON,
        headers=boss,
    )
    assert r.status_code == 200 and r.json()["overdue_days"] == 4
    dash = client.get("/api/v1/performance/dashboard?year=2026", headers=me).json()
    assert dash[0]["grade"] == "优" and dash[0]["unmet_indicators"] == ["资助学生人数", "资助政策长效机制"]


@pytest.mark.django_db
def test_the_api_rejects_a_bad_project_with_a_chinese_message(client, unit, director, token_for):
    r = client.post("/api/v1/performance/projects", {"unit_id": unit.pk, "year": 2026, "code": "B", "name": "x",
                    "budget_full_year": "一百"}, content_type=JSON, headers=token_for(director))  # fmt: skip
    assert r.status_code == 400 and r.json()["detail"] == "全年预算数“一百”不是数字。"


@pytest.mark.django_db
def test_a_unit_member_lists_only_its_own_units(client, unit, clerk, director, token_for):
    from fazhi.performance import services

    services.create_unit(actor=director, name="区卫健委", code="wjw")
    names = [u["name"] for u in client.get("/api/v1/performance/units", headers=token_for(clerk)).json()]
    assert names == ["区教育局"]
    assert len(client.get("/api/v1/performance/units", headers=token_for(director)).json()) == 2


@pytest.mark.django_db
def test_the_openapi_schema_lists_the_performance_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ["/api/v1/performance/units", "/api/v1/performance/projects/{project_id}/target",
                 "/api/v1/performance/projects/{project_id}/evaluation", "/api/v1/performance/publications",
                 "/api/v1/performance/public/disclosures/{unit_code}/{year}"]:  # fmt: skip
        assert path in paths, path


def test_a_qualitative_target_reads_as_its_wording_in_the_api_and_the_form(
    client, evaluated_project, clerk, token_for, login
):
    p = evaluated_project
    r = client.get(f"/api/v1/performance/projects/{p.pk}/evaluation", headers=token_for(clerk))
    targets = {row["indicator"]: row["target"] for row in r.json()["results"]}
    assert targets["资助政策长效机制"] == "建立并运行"
    assert targets["资助学生人数"] == "≥500人"
    # The form of an evaluation returned for changes shows the target the same way.
    p.self_evaluation.status = Status.RETURNED
    p.self_evaluation.save()
    html = login(clerk).get(f"/performance/manage/projects/{p.pk}/evaluation/").content.decode()
    assert "<td>建立并运行</td>" in html and "定性建立并运行" not in html
