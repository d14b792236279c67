"""审查意见书 names the draft's 法制审核员 as 审查人 and the leader as 签批领导, whoever wrote the first finding."""

from __future__ import annotations

import io

import docx

from fazhi.review import opinion_docx, opinions, services


def _docx_text(opinion) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(opinion_docx.build(opinion))).paragraphs)


def test_the_leader_writing_the_first_finding_does_not_become_the_reviewer(
    clerk, reviewer, director, make_draft
):
    draft = make_draft("submitted", major=True)
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    # The leader writes first; the reviewer adds to the same opinion; the leader signs off.
    opinions.add_finding(user=director, draft_id=draft.pk, paragraph=3, text="删除纳税年限条件")
    opinions.add_finding(user=reviewer, draft_id=draft.pk, paragraph=2, text="写明上位法全称")
    opinion = draft.opinions.get()
    assert opinion.reviewer == reviewer  # already on the draft being written (the preview)
    services.transition(user=director, draft_id=draft.pk, action="approve", comment="同意")

    opinion.refresh_from_db()
    assert opinion.issued_at and opinion.reviewer == reviewer and opinion.signed_by == director
    text = _docx_text(opinion)
    assert f"审查人：{reviewer}" in text
    assert f"签批领导：{director}" in text
    assert f"审查人：{director}" not in text


def test_an_ordinary_draft_names_the_assigned_reviewer_and_no_leader(clerk, reviewer, director, make_draft):
    draft = make_draft("submitted")
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    opinions.set_conclusion_text(user=director, draft_id=draft.pk, text="原则同意")
    services.transition(user=reviewer, draft_id=draft.pk, action="approve")
    opinion = draft.opinions.get()
    assert opinion.reviewer == reviewer and opinion.signed_by is None
    text = _docx_text(opinion)
    assert f"审查人：{reviewer}" in text and "签批领导" not in text


def test_the_admin_links_an_issued_opinion_to_the_checked_download(
    clerk, reviewer, make_draft, login, sysadmin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    draft = make_draft("submitted")
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    opinions.set_conclusion_text(user=reviewer, draft_id=draft.pk, text="原则同意")
    services.transition(user=reviewer, draft_id=draft.pk, action="approve")
    opinion = draft.opinions.get()
    assert opinion.document
    page = login(sysadmin).get(f"/admin/review/reviewopinion/{opinion.pk}/change/").content.decode()
    assert f'href="/review/drafts/{draft.pk}/opinion.docx"' in page and "/media/" not in page
