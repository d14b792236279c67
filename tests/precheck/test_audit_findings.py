"""The QA audit of 自动预审: local protection missed, the pre-check contradicting itself, procedure records ignored.

The draft below is the audit's v1; v2 adds the interpretation clause FORM-INTERPRET asked for.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.review import services as review_services
from fazhi.review.models import ProcedureRecord, ProcedureStep
from fazhi.review.precheck import engine, services

V1 = (
    "关于开展2026年度区级中小企业发展专项资金申报工作的通知\n"
    "各街道办事处、区直各单位：\n"
    "为支持本区中小企业发展，根据《区级中小企业发展专项资金管理办法》，现就有关事项通知如下：\n"
    "一、支持对象为从事制造业、软件和信息技术服务业的中小企业。\n"
    "二、申报单位应当具有独立法人资格，近三年无重大违法记录。\n"
    "三、申报单位应当为本区注册企业，外地企业不得申报。\n"
    "四、未按期整改的，由区财政局责令限期改正。\n"
    "五、本通知自印发之日起施行，有效期2年。"
)
V2 = V1.replace("五、本通知自印发之日起施行", "五、本通知由区财政局负责解释。\n六、本通知自印发之日起施行")
NORMATIVE = "行政规范性文件"

# The citation resolver reads the law library (empty here), so every test may touch the database.
pytestmark = pytest.mark.django_db


def _findings(text: str, doc_type: str = "", **kw):
    return engine.check(text, doc_type, overrides={}, **kw)


def _ids(text: str, doc_type: str = "", **kw) -> list[str]:
    return [f.rule_id for f in _findings(text, doc_type, **kw)]


# --- 1. local protection ------------------------------------------------------------------------


def test_the_audited_sentence_is_found_with_its_basis_and_a_revision():
    local = [f for f in _findings(V1, NORMATIVE) if f.family == "FC"]
    assert [f.rule_id for f in local] == ["FC-LOCAL-EXCLUDE", "FC-LOCAL-EXCLUDE"]
    assert [f.quote for f in local] == ["三、申报单位应当为本区注册企业", "外地企业不得申报"]
    assert {f.paragraph for f in local} == {6}
    finding = local[0]
    assert finding.severity == "高"
    assert "公平竞争审查条例第九条第（二）项" in finding.basis
    assert "第十条第（二）项" in finding.basis
    assert "在本区依法从事生产经营活动的各类企业均可申报" in finding.suggestion


@pytest.mark.parametrize(
    "text",
    [
        "申报单位应当为本区注册企业。",
        "外地企业不得申报。",
        "申报企业须为在本区注册登记的企业。",
        "申报主体限本地企业。",
        "非本区注册企业不予受理。",
        "外地企业不在本次资金支持范围内。",
        "本区企业可以申报，外地企业不可申报。",
        "区外企业不得入驻孵化基地。",
        "申报企业工商注册地和税务登记地均须在本区。",
    ],
)
def test_registration_conditions_and_exclusions_of_outside_firms_are_found(text):
    assert _ids(text) == ["FC-LOCAL-EXCLUDE"]


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("申报企业须在本地设立分支机构。", "FC-LOCAL-BRANCH"),
        ("外地企业须在本区设立分支机构后方可申报。", "FC-LOCAL-BRANCH"),
        ("同等条件下优先选择本地企业。", "FC-LOCAL-GOODS"),
        ("对本区注册企业给予补贴，外地企业不予补贴。", "FC-SELECTIVE-SUBSIDY"),
    ],
)
def test_the_narrower_local_rules_speak_alone_where_they_match(text, rule_id):
    # FC-LOCAL-EXCLUDE gives way where another FC rule already quotes the clause: one finding, not two.
    assert _ids(text) == [rule_id]


@pytest.mark.parametrize(
    "text",
    [
        # The scope of the district's own fund: nobody operating in the district is excluded and no
        # registration, tax or statistics condition is set.
        "本区企业可向区财政局申报。",
        "本区企业可自愿申报，财政部门按统一标准审核。",
        "在本区依法从事生产经营活动的各类企业均可申报。",
        "申报项目应当在本区实施。",
        "外地企业在本区设立的分支机构与本地企业同等申报。",
        "本区企业和外地企业在申报条件上一视同仁。",
        "不得以注册地为由限制外地企业申报。",
        "各单位不得规定外地企业不得申报。",
        "鼓励外地企业来本区投资兴业。",
    ],
)
def test_neutral_scope_statements_and_prohibitions_are_not_flagged(text):
    assert _ids(text) == []


def test_a_stated_article_12_purpose_lowers_the_severity():
    [finding] = _findings("为应对突发事件，外地企业不得申报应急物资储备补助，实施期限至2026年12月31日。")
    assert finding.rule_id == "FC-LOCAL-EXCLUDE" and finding.severity == "中"


# --- 2. the pre-check must not contradict itself ------------------------------------------------


def test_the_interpretation_clause_asked_for_on_v1_is_not_flagged_on_v2():
    v1 = _ids(V1, NORMATIVE)
    assert "FORM-INTERPRET" in v1
    v2 = _findings(V2, NORMATIVE)
    assert "FORM-INTERPRET" not in {f.rule_id for f in v2}
    assert [f for f in v2 if f.family == "POWER"] == []


@pytest.mark.parametrize(
    "text",
    [
        "四、本通知由区财政局负责解释。",
        "本办法由区财政局负责解释，自发布之日起施行。",
        "第九条 本办法由区财政局负责解释，自2026年4月1日起施行，有效期五年。",
        "本细则由区财政局负责解释，国库科具体承办。",
        "各街道办事处、区直各单位：",
        "各镇人民政府、街道办事处，区政府各部门，各有关单位：",
        "四、未按期整改的，由区财政局责令限期改正。",
        "违反本办法规定的，由区财政局责令改正；情节严重的，依法追究法律责任。",
    ],
)
def test_interpretation_clauses_addressees_and_orders_to_correct_are_not_powers(text):
    assert _ids(text, NORMATIVE) == []


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        # An internal unit as interpreter is still wrong (国办发〔2018〕37号).
        ("本通知由区财政局预算科负责解释。", "POWER-INTERNAL"),
        # 责令改正 followed by a fine the document sets itself: the fine is a 行政处罚.
        ("违反本办法的，由区财政局责令改正，并处一万元罚款。", "POWER-PENALTY"),
        # 责令停产停业 is a 行政处罚 (行政处罚法第九条第四项), not an order to correct.
        ("对虚报冒领补贴资金的企业，由区财政局责令停产停业。", "POWER-PENALTY"),
        # Only an administrative organ may order a correction; a company cannot.
        ("未按期整改的，由园区运营公司责令限期改正。", "POWER-GENERAL"),
    ],
)
def test_true_power_findings_remain(text, rule_id):
    assert rule_id in _ids(text, NORMATIVE)


# --- 3. procedure records -----------------------------------------------------------------------


def test_form_consult_fires_when_nothing_is_recorded():
    assert "FORM-CONSULT" in _ids(V2, NORMATIVE)
    assert "FORM-CONSULT" in _ids(V2, NORMATIVE, procedures=[])
    assert "FORM-CONSULT" in _ids(V2, NORMATIVE, procedures=["assessment", "集体审议"])


@pytest.mark.parametrize("step", ["consultation", "征求意见"])
def test_a_recorded_consultation_satisfies_form_consult(step):
    ids = _ids(V2, NORMATIVE, procedures=[step])
    assert "FORM-CONSULT" not in ids
    assert "FC-LOCAL-EXCLUDE" in ids  # the record satisfies one element, it does not silence the rest


def test_every_procedure_step_of_the_review_app_is_understood():
    assert {step.value: step.label for step in ProcedureStep} == engine.PROCEDURE_ALIASES


def test_the_steps_recorded_on_a_draft_are_passed_as_the_review_app_stores_them(clerk):
    draft = review_services.create_draft(
        user=clerk, title="中小企业发展专项资金申报通知", doc_type="normative", unit="预算科"
    )
    recorded = draft.procedures.values_list("step", flat=True)
    assert "FORM-CONSULT" in _ids(V2, draft.get_doc_type_display(), procedures=recorded)
    ProcedureRecord.objects.create(
        draft=draft,
        step=ProcedureStep.CONSULTATION,
        date=dt.date(2026, 1, 5),
        summary="在区政府网站公开征求意见30日，收到意见3条，采纳2条。",
        recorded_by=clerk,
    )
    recorded = draft.procedures.values_list("step", flat=True)
    assert "FORM-CONSULT" not in _ids(V2, draft.get_doc_type_display(), procedures=recorded)


def test_the_precheck_service_passes_the_recorded_steps_on(clerk):
    report = services.run_precheck(user=clerk, text=V2, doc_type=NORMATIVE, procedures=["consultation"])
    assert "FORM-CONSULT" not in {f.rule_id for f in report.findings}
    report = services.run_precheck(user=clerk, text=V2, doc_type=NORMATIVE)
    assert "FORM-CONSULT" in {f.rule_id for f in report.findings}
