"""更正效力状态: the 状态依据 (shown to the public) and the 更正理由 (audit log) have length limits; a longer
text is refused in Chinese and changes nothing, a text of exactly the limit is accepted."""

from __future__ import annotations

import pytest
from django.test import Client

from fazhi.core.errors import ValidationFailed
from fazhi.laws import services
from fazhi.laws.models import LawVersion, Status
from fazhi.laws.services import MAX_STATUS_BASIS, MAX_STATUS_REASON

JSON = "application/json"


def _version() -> LawVersion:
    return LawVersion.objects.get(law__title="中华人民共和国预算法")


@pytest.mark.parametrize(
    "body,message",
    [
        (
            {"basis": "依" * (MAX_STATUS_BASIS + 1), "reason": "依据废止决定更正"},
            f"状态依据不能超过 {MAX_STATUS_BASIS} 个字（当前 {MAX_STATUS_BASIS + 1} 个字）。",
        ),
        (
            {"reason": "理" * 100_000},
            f"更正理由不能超过 {MAX_STATUS_REASON:,} 个字（当前 100,000 个字）。",
        ),
    ],
)
def test_the_status_api_refuses_an_over_long_text_and_changes_nothing(
    small_library, token_for, reviewer, body, message
):
    version = _version()
    response = Client().post(
        f"/api/v1/laws/{version.law_id}/versions/{version.pk}/status",
        {"status": "已废止", **body},
        content_type=JSON,
        headers=token_for(reviewer),
    )
    assert response.status_code == 400
    assert response.json()["detail"] == message
    version.refresh_from_db()
    assert version.status == Status.IN_FORCE


def test_texts_of_exactly_the_limits_are_accepted(small_library, reviewer):
    version = _version()
    services.correct_status(
        user=reviewer, version=version, status=Status.REPEALED, basis="依" * MAX_STATUS_BASIS,
        reason="理" * MAX_STATUS_REASON,
    )  # fmt: skip
    version.refresh_from_db()
    assert (version.status, version.status_basis) == (Status.REPEALED, "依" * MAX_STATUS_BASIS)


def test_a_pasted_law_with_an_over_long_status_basis_is_refused(small_library, reviewer):
    count = LawVersion.objects.count()
    with pytest.raises(ValidationFailed) as err:
        services.add_law_from_text(
            user=reviewer, text="测试办法\n第一条 为了测试，制定本办法。\n第二条 本办法自公布之日起施行。",
            status_basis="依" * (MAX_STATUS_BASIS + 1),
        )  # fmt: skip
    assert (
        err.value.message == f"状态依据不能超过 {MAX_STATUS_BASIS} 个字（当前 {MAX_STATUS_BASIS + 1} 个字）。"
    )
    assert LawVersion.objects.count() == count


def test_the_admin_form_shows_the_reason_limit_at_the_field(small_library, login, reviewer):
    version = _version()
    response = login(reviewer).post(
        f"/admin/laws/lawversion/{version.pk}/correct-status/",
        {"status": "repealed", "basis": "", "reason": "理" * (MAX_STATUS_REASON + 1)},
    )
    assert response.status_code == 200
    assert (
        f"更正理由不能超过 {MAX_STATUS_REASON:,} 个字（当前 {MAX_STATUS_REASON + 1:,} 个字）。"
        in response.content.decode()
    )
    version.refresh_from_db()
    assert version.status == Status.IN_FORCE
