import datetime as dt

import pytest
from django.utils import timezone

from fazhi.core.errors import PermissionDenied
from fazhi.exams.models import Competition, CompetitionEntry, CompetitionRound, Question
from fazhi.exams.services import competitions

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(question_bank):
    now = timezone.now()
    comp = Competition.objects.create(title="普法竞赛", question_count=5, time_limit_seconds=300)
    return CompetitionRound.objects.create(competition=comp, number=1, opens_at=now - dt.timedelta(hours=1),
                                           closes_at=now + dt.timedelta(days=1))  # fmt: skip


def _answer(entry, user, right: int, seconds: float):
    keys = dict(Question.objects.filter(pk__in=entry.question_ids).values_list("id", "answer"))
    answers = {q: (keys[q] if i < right else ["Z"]) for i, q in enumerate(entry.question_ids)}
    return competitions.finish_entry(user=user, entry_id=entry.pk, answers=answers,
                                     now=entry.started_at + dt.timedelta(seconds=seconds))  # fmt: skip


def test_only_the_first_entry_per_round_is_scored_and_the_board_ranks_by_correct_then_time(
    round_, candidate, candidate2, enterprise
):
    a = _answer(competitions.start_entry(user=candidate, round_id=round_.pk), candidate, 4, 100)
    b = _answer(competitions.start_entry(user=candidate2, round_id=round_.pk), candidate2, 4, 60)
    c = _answer(competitions.start_entry(user=enterprise, round_id=round_.pk), enterprise, 5, 200)
    retry = competitions.start_entry(user=candidate, round_id=round_.pk)
    assert not retry.scored
    _answer(retry, candidate, 5, 10)
    board = competitions.leaderboard(round_)
    assert [e.pk for e in board] == [c.pk, b.pk, a.pk]
    assert a.scored and len(set(a.question_ids)) == 5


def test_each_entry_gets_its_own_shuffled_draw(round_, candidate):
    orders = set()
    for _ in range(6):
        e = competitions.start_entry(user=candidate, round_id=round_.pk)
        _answer(e, candidate, 0, 30)
        orders.add(tuple(e.question_ids))
    assert len(orders) > 1


def test_a_late_submission_scores_nothing(round_, candidate):
    e = competitions.start_entry(user=candidate, round_id=round_.pk)
    assert _answer(e, candidate, 5, 400).correct_count == 0


def test_a_staff_competition_refuses_the_public(round_, enterprise, candidate):
    round_.competition.audience = "staff"
    round_.competition.save()
    with pytest.raises(PermissionDenied, match="仅面向本局工作人员"):
        competitions.start_entry(user=enterprise, round_id=round_.pk)
    assert competitions.start_entry(user=candidate, round_id=round_.pk)


def test_the_competition_pages_work_without_javascript(round_, enterprise, login, client):
    c = login(enterprise)
    r = c.post(f"/exams/competitions/rounds/{round_.pk}/start")
    assert r.status_code == 302
    entry = CompetitionEntry.objects.get(user=enterprise)
    page = c.get(r.url)
    assert page.status_code == 200 and page.content.decode().count("<fieldset>") == 5
    # The answer sheet's phone layout: numbered questions and tappable options (exams.css).
    assert (
        "exams/exams.css" in page.content.decode()
        and '<span class="question-number">5.</span>' in page.content.decode()
    )
    entry.started_at -= dt.timedelta(seconds=60)  # a person takes a while to answer
    entry.save()
    done = c.post(r.url, {f"q{q}": ["A"] for q in entry.question_ids})
    assert "答对" in done.content.decode()
    board = client.get(f"/exams/competitions/rounds/{round_.pk}/")
    assert board.status_code == 200 and "排行榜" in board.content.decode()
    api = client.get(f"/api/v1/exams/competitions/rounds/{round_.pk}/leaderboard").json()
    assert len(api) == 1 and api[0]["rank"] == 1
    other = login(enterprise).get(f"/exams/competitions/entries/{entry.pk}/")
    assert other.status_code == 200
    assert (
        client.post(f"/exams/competitions/rounds/{round_.pk}/start").status_code == 302
    )  # anonymous → login


def test_a_round_finished_faster_than_a_person_can_read_it_is_refused(round_, enterprise):
    from fazhi.core.errors import Conflict

    e = competitions.start_entry(user=enterprise, round_id=round_.pk)
    too_fast = competitions.MIN_SECONDS_PER_QUESTION * 5 - 0.5
    with pytest.raises(Conflict, match="提交过快"):
        _answer(e, enterprise, 5, too_fast)
    e.refresh_from_db()
    assert e.finished_at is None and e.correct_count == 0
    assert competitions.leaderboard(round_) == []
    done = _answer(e, enterprise, 5, competitions.MIN_SECONDS_PER_QUESTION * 5)
    assert done.correct_count == 5 and done.scored


def test_the_entry_page_refuses_a_too_fast_submission_and_keeps_the_answers(round_, enterprise, login):
    c = login(enterprise)
    r = c.post(f"/exams/competitions/rounds/{round_.pk}/start")
    entry = CompetitionEntry.objects.get(user=enterprise)
    first = entry.question_ids[0]
    page = c.post(r.url, {f"q{first}": ["B"]})
    html = page.content.decode()
    assert page.status_code == 409 and "提交过快" in html
    assert f'id="q{first}B" name="q{first}" value="B" checked' in html
    entry.refresh_from_db()
    assert entry.finished_at is None


def test_opening_the_start_address_directly_leads_back_to_the_round(round_, enterprise, login):
    r = login(enterprise).get(f"/exams/competitions/rounds/{round_.pk}/start")
    assert r.status_code == 302 and r.url == f"/exams/competitions/rounds/{round_.pk}/"
    assert not CompetitionEntry.objects.exists()
