import pytest

from fazhi.exams.models import Answer, Attempt, Question

pytestmark = pytest.mark.django_db


def test_the_exam_index_lists_the_open_exam_for_staff(exam, candidate, login, client):
    assert "行政执法资格考试" in login(candidate).get("/exams/").content.decode()
    assert "行政执法资格考试" not in client.get("/exams/").content.decode()


def test_a_candidate_takes_the_exam_without_javascript(exam, candidate, login):
    c = login(candidate)
    r = c.post(f"/exams/{exam.pk}/start")
    assert r.status_code == 302
    attempt = Attempt.objects.get(user=candidate)
    page = c.get(r.url).content.decode()
    assert "剩余时间" in page and 'role="timer"' in page
    for q in Question.objects.filter(pk__in=attempt.question_ids()):
        assert q.stem in page
    data = {f"q{qid}": Question.objects.get(pk=qid).answer for qid in attempt.question_ids()}
    saved = c.post(f"/exams/attempts/{attempt.pk}/save", {**data, "action": "save"})
    assert "答案已保存" in saved.content.decode()
    assert Answer.objects.filter(attempt=attempt).count() == 15
    done = c.post(f"/exams/attempts/{attempt.pk}/save", {**data, "action": "submit"}, follow=True)
    assert "得分 38.00 / 38.00，及格" in done.content.decode()
    html = done.content.decode()
    assert "考试截止后可查看标准答案" in html and "标准答案：" not in html  # the exam is still open


def test_the_htmx_endpoint_saves_one_answer_and_shows_refusals(exam, candidate, login):
    c = login(candidate)
    c.post(f"/exams/{exam.pk}/start")
    attempt = Attempt.objects.get(user=candidate)
    qid = attempt.question_ids()[0]
    r = c.post(f"/exams/attempts/{attempt.pk}/answers/{qid}", {f"q{qid}": "B"}, HTTP_HX_REQUEST="true")
    assert "已保存" in r.content.decode()
    assert Answer.objects.get(attempt=attempt, question_id=qid).answer == ["B"]
    r = c.post(f"/exams/attempts/{attempt.pk}/answers/{qid}", {f"q{qid}": "Z"})
    assert 'role="alert"' in r.content.decode() and "不存在" in r.content.decode()


def test_another_candidate_cannot_open_my_answer_sheet(exam, candidate, candidate2, login, client):
    login(candidate).post(f"/exams/{exam.pk}/start")
    attempt = Attempt.objects.get(user=candidate)
    other = login(candidate2)
    assert other.get(f"/exams/attempts/{attempt.pk}/").status_code == 403
    assert other.post(f"/exams/attempts/{attempt.pk}/save", {"action": "submit"}).status_code == 403
    assert client.get(f"/exams/attempts/{attempt.pk}/").status_code == 302


def test_an_outsider_cannot_start_and_the_admin_pages_are_refused(exam, outsider, login):
    c = login(outsider)
    r = c.post(f"/exams/{exam.pk}/start")
    assert r.status_code == 403 and "考生范围" in r.content.decode()
    for url in ("/exams/manage/", f"/exams/manage/{exam.pk}/", f"/exams/manage/{exam.pk}/results.xlsx"):
        assert c.get(url).status_code == 403


def test_the_administrator_sees_results_and_statistics(exam, candidate, examadmin, login):
    login(candidate).post(f"/exams/{exam.pk}/start")
    attempt = Attempt.objects.get(user=candidate)
    login(candidate).post(f"/exams/attempts/{attempt.pk}/save", {"action": "submit"})
    page = login(examadmin).get(f"/exams/manage/{exam.pk}/").content.decode()
    assert "cand_a" in page and "试题分析" in page and "区分度" in page
    assert "行政执法资格考试" in login(examadmin).get("/exams/manage/").content.decode()
    xlsx = login(examadmin).get(f"/exams/manage/{exam.pk}/results.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_answer_key_is_shown_only_after_the_exam_closes(exam, candidate, login):
    import datetime as dt

    from django.utils import timezone

    c = login(candidate)
    c.post(f"/exams/{exam.pk}/start")
    attempt = Attempt.objects.get(user=candidate)
    c.post(f"/exams/attempts/{attempt.pk}/save", {"action": "submit"})
    assert "标准答案：" not in c.get(f"/exams/attempts/{attempt.pk}/").content.decode()
    exam.closes_at = timezone.now() - dt.timedelta(seconds=1)
    exam.save()
    assert "标准答案：" in c.get(f"/exams/attempts/{attempt.pk}/").content.decode()
