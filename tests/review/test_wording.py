"""Messages read as plain Chinese: no doubled 已, no 。；, no internal codes or MIME types (audit, LOW items)."""

from __future__ import annotations

import io

import docx
import pytest
from django.test import Client

from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.review import files, opinion_docx, opinions, services
from fazhi.review.models import Draft, State
from fazhi.review.precheck import engine
from fazhi.review.precheck.types import Finding

CODES = ("submit", "start_review", "approve", "return", "addressed", "overdue", "true", "false")


def _with_finding(
    monkeypatch, clerk, make_draft, message: str, basis: str = "", suggestion: str = ""
) -> Draft:
    found = Finding("FORM-1", "FORM", "中", 1, 0, 2, "关于", message, basis, suggestion)
    monkeypatch.setattr(engine, "check", lambda text, doc_type="", procedures=None: [found])
    draft = make_draft()
    services.upload_version(user=clerk, draft_id=draft.pk, name="v2.txt", data="关于某事\n正文".encode())
    Draft.objects.filter(pk=draft.pk).update(state=State.IN_REVIEW)
    return draft


def test_a_finding_decided_twice_is_refused_without_a_doubled_yi(monkeypatch, clerk, reviewer, make_draft):
    draft = _with_finding(monkeypatch, clerk, make_draft, "标题不规范")
    finding = draft.versions.get(number=2).precheck_findings.get()
    opinions.accept_precheck(user=reviewer, draft_id=draft.pk, finding_id=finding.pk)
    with pytest.raises(Conflict) as err:
        opinions.accept_precheck(user=reviewer, draft_id=draft.pk, finding_id=finding.pk)
    assert err.value.message == "该预审发现已处理（已采纳），不能重复处理。"
    assert "已已" not in err.value.message


def test_a_procedure_on_a_published_draft_is_refused_without_a_doubled_yi(clerk, make_draft):
    draft = make_draft("published")
    with pytest.raises(Conflict) as err:
        services.add_procedure(
            user=clerk, draft_id=draft.pk, step="征求意见", date=draft.created_at.date(), summary="补登"
        )
    assert err.value.message == "文稿当前状态为“已发布”，不能再登记程序记录。"


def test_an_accepted_finding_reads_as_one_sentence_in_the_opinion(monkeypatch, clerk, reviewer, make_draft):
    draft = _with_finding(
        monkeypatch,
        clerk,
        make_draft,
        "征求意见期限过短（一般不少于30日）。",
        basis="《重大行政决策程序暂行条例》第十五条。",
        suggestion="延长征求意见期限。",
    )
    finding = draft.versions.get(number=2).precheck_findings.get()
    item = opinions.accept_precheck(user=reviewer, draft_id=draft.pk, finding_id=finding.pk)
    assert item.text == (
        "征求意见期限过短（一般不少于30日）；依据：《重大行政决策程序暂行条例》第十五条；建议：延长征求意见期限。"
    )
    opinion = draft.opinions.get()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(opinion_docx.build(opinion))).paragraphs)
    assert "（一般不少于30日）；依据：" in text
    assert "。；" not in text and "。。" not in text


def test_an_unknown_action_lists_the_actions_by_their_chinese_names(clerk, make_draft, login, token_for):
    draft = make_draft()
    with pytest.raises(ValidationFailed) as err:
        services.transition(user=clerk, draft_id=draft.pk, action="bogus")
    message = err.value.message
    assert "提交审查、开始审查、退回修改、审查通过" in message
    assert not any(code in message for code in CODES)
    html = login(clerk).post(f"/review/drafts/{draft.pk}/transition/", {"action": "bogus"}, follow=True)
    assert "可执行的操作有：提交审查" in html.content.decode()
    draft.refresh_from_db()
    assert draft.state == State.DRAFTING


def test_an_action_may_be_given_by_its_chinese_name(clerk, make_draft, token_for):
    draft = make_draft()
    r = Client().post(
        f"/api/v1/review/drafts/{draft.pk}/transitions",
        {"action": "提交审查", "comment": "请审查"},
        content_type="application/json",
        headers=token_for(clerk),
    )
    assert r.status_code == 200 and r.json()["state_code"] == "submitted"
    assert draft.transitions.get().action == "submit"


def test_a_bad_overdue_filter_is_explained_in_chinese(reviewer, token_for, login):
    r = Client().get("/api/v1/review/ledger?overdue=maybe", headers=token_for(reviewer))
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert detail == "“超期”筛选条件“maybe”无效，只能选“是”或“否”。"
    html = login(reviewer).get("/review/ledger/?overdue=maybe").content.decode()
    assert "只能选“是”或“否”" in html and "overdue 只能" not in html


def test_a_bad_resolution_lists_the_chinese_choices(clerk, reviewer, make_draft, token_for):
    draft = make_draft("in_review")
    opinions.add_finding(user=reviewer, draft_id=draft.pk, paragraph=3, text="删除纳税年限")
    services.transition(user=reviewer, draft_id=draft.pk, action="return", comment="修改")
    Draft.objects.filter(pk=draft.pk).update(state=State.IN_REVIEW)
    finding = draft.opinions.get().findings.get()
    with pytest.raises(ValidationFailed) as err:
        opinions.resolve_finding(user=reviewer, draft_id=draft.pk, finding_id=finding.pk, resolution="done")
    assert err.value.message == "采纳情况只能是：待核对、已采纳修改、未采纳。"
    finding.refresh_from_db()
    assert finding.resolution == "pending"
    item = opinions.resolve_finding(
        user=reviewer, draft_id=draft.pk, finding_id=finding.pk, resolution="已采纳修改"
    )
    assert item.resolution == "addressed"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "图片（PNG）"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "图片（JPG）"),
        (b"Rar!\x1a\x07\x00" + b"\x00" * 64, "RAR 压缩包"),
        (b"\x1f\x8b\x08" + b"\x00" * 64, "gzip 压缩包"),
    ],
)
def test_an_upload_refusal_names_the_kind_of_file_in_chinese(data, words):
    with pytest.raises(ValidationFailed) as err:
        files.extract("稿件.docx", data)
    message = err.value.message
    assert f"内容实际是{words}" in message
    assert "/" not in message and "image" not in message and "application" not in message
