"""A refused form on the draft page says why beside its own fields: the page opens at the form (its anchor),
where the message at the top of the page is out of sight on a phone; the top message is an alert."""

from __future__ import annotations

import pytest
from django.utils import timezone

from .test_numbering import approved

YEAR = timezone.localdate().year


@pytest.fixture
def draft(make_draft, clerk, reviewer):
    from fazhi.review import services

    d = approved(make_draft, clerk, reviewer, title="资金管理办法")
    return services.transition(
        user=clerk,
        draft_id=d.pk,
        action="publish",
        comment="印发",
        doc_number=f"阳财规〔{YEAR}〕1号",
        signed_by="王局长",
    )


def test_a_refused_correction_says_why_inside_the_reopened_form(draft, clerk, login):
    typed = f"阳财规〔{YEAR + 1}〕2号"
    form = {"form": "correct-number", "doc_number": typed, "signed_by": "李副局长", "reason": "重号"}
    page = login(clerk).post(f"/review/drafts/{draft.pk}/correct-number/", form, follow=True).content.decode()
    details = page[page.index('<details id="correct-number" open>') :]
    details = details[: details.index("</details>")]
    assert '<p class="error" id="cn-refusal">未更正：' in details and "晚于发布年度" in details
    assert 'class="flash-error" role="alert"' in page  # the top message too, as an alert
    again = login(clerk).get(f"/review/drafts/{draft.pk}/").content.decode()
    assert 'id="cn-refusal"' not in again  # shown once


def test_a_refused_finding_says_why_beside_the_finding_form(make_draft, clerk, reviewer, login):
    from fazhi.review import services

    d = make_draft()
    services.transition(user=clerk, draft_id=d.pk, action="submit")
    services.transition(user=reviewer, draft_id=d.pk, action="start_review")
    page = (
        login(reviewer)
        .post(
            f"/review/drafts/{d.pk}/findings/",
            {"form": "finding", "paragraph": "abc", "text": "意见"},
            follow=True,
        )
        .content.decode()
    )
    assert '<p class="error">未添加：请填写段落号（数字）。</p>' in page
