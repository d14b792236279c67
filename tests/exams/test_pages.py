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
    saved = c.post(f"/exams/attempts/{attempt.pk}/save", {**data, "action": "save"}, follow=True)
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
    login(candidate).post(f"/exams/attempts/{attempt.pk}/save", {"action": "submit", "confirm_blank": "1"})
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
    c.post(f"/exams/attempts/{attempt.pk}/save", {"action": "submit", "confirm_blank": "1"})
    assert "标准答案：" not in c.get(f"/exams/attempts/{attempt.pk}/").content.decode()
    exam.closes_at = timezone.now() - dt.timedelta(seconds=1)
    exam.save()
    assert "标准答案：" in c.get(f"/exams/attempts/{attempt.pk}/").content.decode()


def test_right_or_wrong_per_question_stays_hidden_until_the_exam_closes(exam, candidate, login, token_for):
    import datetime as dt

    from django.utils import timezone

    c = login(candidate)
    c.post(f"/exams/{exam.pk}/start")
    attempt = Attempt.objects.get(user=candidate)
    data = {f"q{qid}": Question.objects.get(pk=qid).answer for qid in attempt.question_ids()}
    data[f"q{attempt.question_ids()[0]}"] = []  # one left blank
    c.post(f"/exams/attempts/{attempt.pk}/save", {**data, "action": "submit", "confirm_blank": "1"})
    html = c.get(f"/exams/attempts/{attempt.pk}/").content.decode()
    assert "得分 " in html and "及格" in html  # the total and the result show at once
    assert "考试截止后可查看" in html
    for leak in ("正确，得", "错误，得", "标准答案："):
        assert leak not in html
    api = c.get(f"/api/v1/exams/attempts/{attempt.pk}", headers=token_for(candidate)).json()
    assert "is_correct" not in str(api) and "标准答案" not in str(api)
    exam.closes_at = timezone.now() - dt.timedelta(seconds=1)
    exam.save()
    closed = c.get(f"/exams/attempts/{attempt.pk}/").content.decode()
    assert "正确，得" in closed and "错误，得 0" in closed and "标准答案：" in closed


def test_exam_results_name_the_department_from_the_staff_registry(
    exam, candidate, candidate2, examadmin, login
):
    import io

    from openpyxl import load_workbook

    from fazhi.exams.models import StaffProfile

    StaffProfile.objects.create(user=candidate, department="法规科")  # the account itself says 区财政局
    for user in (candidate, candidate2):
        login(user).post(f"/exams/{exam.pk}/start")
        attempt = Attempt.objects.get(user=user)
        login(user).post(f"/exams/attempts/{attempt.pk}/save", {"action": "submit", "confirm_blank": "1"})
    page = login(examadmin).get(f"/exams/manage/{exam.pk}/").content.decode()
    row_a = page[page.index("cand_a") :].split("</tr>")[0]
    row_b = page[page.index("cand_b") :].split("</tr>")[0]
    assert "法规科" in row_a and "区财政局" not in row_a
    assert "区财政局" in row_b  # no registry entry: the account's department
    xlsx = login(examadmin).get(f"/exams/manage/{exam.pk}/results.xlsx").content
    sheet = load_workbook(io.BytesIO(xlsx))["成绩"]
    departments = {row[0]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert departments == {"cand_a": "法规科", "cand_b": "区财政局"}


def test_the_start_button_shows_only_while_the_exam_is_open(exam, candidate, login):
    import datetime as dt

    from django.utils import timezone

    c = login(candidate)
    assert "开始考试</button>" in c.get(f"/exams/{exam.pk}/").content.decode()
    exam.opens_at = timezone.now() + dt.timedelta(days=1)
    exam.closes_at = timezone.now() + dt.timedelta(days=2)
    exam.save()
    html = c.get(f"/exams/{exam.pk}/").content.decode()
    assert "开始考试</button>" not in html and "考试尚未开始" in html
    exam.opens_at = timezone.now() - dt.timedelta(days=2)
    exam.closes_at = timezone.now() - dt.timedelta(days=1)
    exam.save()
    html = c.get(f"/exams/{exam.pk}/").content.decode()
    assert "开始考试</button>" not in html and "考试已截止" in html


def test_opening_a_form_address_directly_leads_back_to_the_page(exam, candidate, login):
    c = login(candidate)
    r = c.get(f"/exams/{exam.pk}/start")
    assert r.status_code == 302 and r.url == f"/exams/{exam.pk}/"
    assert not Attempt.objects.exists()  # a GET starts nothing
    c.post(f"/exams/{exam.pk}/start")
    attempt = Attempt.objects.get(user=candidate)
    for url in (
        f"/exams/attempts/{attempt.pk}/save",
        f"/exams/attempts/{attempt.pk}/answers/{attempt.question_ids()[0]}",
    ):
        r = c.get(url)
        assert r.status_code == 302 and r.url == f"/exams/attempts/{attempt.pk}/"
    # The no-JS save button now lands back on the answer sheet's own address.
    saved = c.post(f"/exams/attempts/{attempt.pk}/save", {"action": "save"})
    assert saved.status_code == 302 and saved.url == f"/exams/attempts/{attempt.pk}/"
    assert "答案已保存" in c.get(saved.url).content.decode()


def test_a_long_answer_is_not_echoed_in_full(exam, candidate, login):
    c = login(candidate)
    c.post(f"/exams/{exam.pk}/start")
    attempt = Attempt.objects.get(user=candidate)
    qid = attempt.question_ids()[0]
    r = c.post(f"/exams/attempts/{attempt.pk}/answers/{qid}", {f"q{qid}": "A" * 5000})
    html = r.content.decode()
    assert "不存在" in html and "…" in html and len(html) < 300
    assert not Answer.objects.filter(attempt=attempt, question_id=qid).exists()
