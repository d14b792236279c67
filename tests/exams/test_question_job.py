"""导入试题 as a 后台任务: the page starts a job and lands on its progress; a file that cannot be read, a
role taken away before the job runs, or rows with errors end it 未完成 with the reason and nothing saved; a
long list of duplicate rows is cut; the check-only run saves nothing."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.models import Job
from fazhi.exams.models import Question
from fazhi.exams.services import question_job

URL = "/exams/manage/import/"


def _json(items: list[dict]) -> SimpleUploadedFile:
    return SimpleUploadedFile("题库.json", json.dumps(items, ensure_ascii=False).encode())


def _judges(n: int, prefix: str = "判断") -> list[dict]:
    return [{"type": "判断", "stem": f"{prefix}{i}：罚款属于行政处罚", "answer": "对"} for i in range(n)]


def test_the_page_starts_a_job_whose_page_reports_the_import(login, examadmin):
    client = login(examadmin)
    resp = client.post(URL, {"file": _json(_judges(3))})
    job = Job.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.title, job.status, job.params) == (
        question_job.NAME,
        "导入试题",
        "done",
        {"dry_run": False},
    )
    assert Question.objects.count() == 3
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "共 3 行，新增 3 题，跳过重复 0 题。" in page
    assert 'href="/exams/manage/"' in page and f'href="{URL}"' in page


def test_a_check_only_run_saves_nothing_and_says_so(login, examadmin):
    login(examadmin).post(URL, {"file": _json(_judges(2)), "dry_run": "1"})
    job = Job.objects.get()
    assert job.title == "检查试题文件（不导入）" and job.status == "done"
    assert job.result["summary"] == "共 2 行，可新增 2 题，跳过重复 0 题（只检查，未导入）。"
    assert not Question.objects.exists()


def test_an_unreadable_file_ends_the_job_with_the_reason(login, examadmin):
    client = login(examadmin)
    client.post(URL, {"file": SimpleUploadedFile("q.json", b'[{"type": "judge",')})
    job = Job.objects.get()
    assert job.status == "failed" and job.error.startswith("JSON 格式错误：第1行")
    assert "JSON 格式错误" in client.get(f"/jobs/{job.pk}/").content.decode()


def test_a_role_taken_away_before_the_job_runs_stops_it(examadmin, settings):
    from fazhi.core import jobs

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, not run
    job = question_job.start(actor=examadmin, upload=_json(_judges(1)), dry_run=False)
    assert Job.objects.get(pk=job.pk).status == "queued"
    examadmin.groups.clear()
    jobs.execute(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "只有考试管理员可以导入试题。")
    assert not Question.objects.exists()


def test_a_long_list_of_duplicates_is_cut(login, examadmin):
    client = login(examadmin)
    client.post(URL, {"file": _json(_judges(60))})
    client.post(URL, {"file": _json(_judges(60))})
    second = Job.objects.order_by("pk").last()
    assert second.result["summary"] == "共 60 行，新增 0 题，跳过重复 60 题。"
    (note,) = second.result["notes"]
    assert note.startswith("重复（已跳过）的行：1、2、3") and note.endswith("50 等，共 60 行")


def test_no_file_or_a_huge_file_is_refused_on_the_page(login, examadmin, monkeypatch):
    client = login(examadmin)
    resp = client.post(URL, {})
    assert resp.status_code == 400 and "请选择要导入的 JSON 或 Excel 文件。" in resp.content.decode()
    monkeypatch.setattr(question_job, "MAX_BYTES", 100)
    resp = client.post(URL, {"file": _json(_judges(5))})
    assert resp.status_code == 400 and "请拆分后上传" in resp.content.decode()
    assert not Job.objects.exists()


def test_someone_without_the_role_cannot_start_it(login, clerk):
    resp = login(clerk).post(URL, {"file": _json(_judges(1))})
    assert resp.status_code == 403
    assert not Job.objects.exists() and not Question.objects.exists()
