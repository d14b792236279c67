"""后台任务: long work (the 惠企政策 Excel import) runs as a job whose page and API show its progress and
result to the person who started it, and to nobody else; failures say why in Chinese and never leak a
traceback; a job runs once; the real task queue (database backend + db_worker) runs it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from fazhi.core import jobs
from fazhi.core.errors import ValidationFailed
from fazhi.core.models import Job
from fazhi.policies import excel_job
from fazhi.policies.models import Policy
from tests.policies.test_excel import workbook
from tests.policies.test_import2_bulk import rows

IMPORT_URL = "/admin/policies/policy/excel/import/"


@pytest.fixture
def kinds():
    """Register throw-away kinds of work for one test."""
    added: list[str] = []

    def _add(name: str, run, **kw) -> str:
        jobs.register(jobs.Kind(name, title=f"测试任务{name}", run=run, **kw))
        added.append(name)
        return name

    yield _add
    for name in added:
        jobs._kinds.pop(name, None)


def _upload(data: bytes, name: str = "政策.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_the_admin_import_runs_as_a_job_and_its_page_shows_the_result(login, sysadmin):
    client = login(sysadmin)
    resp = client.post(IMPORT_URL, {"file": _upload(workbook(rows(700)), "../../区里的政策.xlsx")})
    job = Job.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/jobs/{job.pk}/"
    assert (job.status, job.kind, job.created_by) == ("done", excel_job.NAME, sysadmin)
    assert Policy.objects.count() == 700
    # The last progress written is the saving stage, complete; the page counts rows.
    assert (job.stage, job.done, job.total) == ("保存", 700, 700)
    assert job.result["summary"].startswith("导入完成：新增 700 条")
    # The uploader's name is shown as given but never used as a path on disk.
    assert job.file_name == "区里的政策.xlsx"
    assert job.file.name.startswith("jobs/") and ".." not in job.file.name and "区里" not in job.file.name

    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "已完成" in page and "导入完成：新增 700 条" in page
    assert 'href="/admin/policies/policy/"' in page and "返回惠企政策列表" in page
    assert f'href="{IMPORT_URL}"' in page  # 再导入一个文件
    assert "hx-trigger" not in page  # a finished job is not polled
    listing = client.get("/jobs/").content.decode()
    assert f'href="/jobs/{job.pk}/"' in listing and "从 Excel 导入惠企政策" in listing


def test_row_errors_end_the_job_unfinished_with_every_error_and_nothing_saved(login, sysadmin):
    data = rows(3)
    data[1]["level"] = "乡"
    data[2]["support_ratio"] = "500"
    client = login(sysadmin)
    client.post(IMPORT_URL, {"file": _upload(workbook(data))})
    job = Job.objects.get()
    assert job.status == "failed" and not Policy.objects.exists()
    assert job.error.startswith("发现 2 处错误，未导入任何数据。")
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "第3行：层级“乡”无效" in page and "第4行：支持比例不能超过100%。" in page
    assert "修改后重新提交" in page


def test_a_file_that_is_not_a_template_is_refused_at_once_without_a_job(login, sysadmin):
    client = login(sysadmin)
    resp = client.post(IMPORT_URL, {"file": _upload("标题,文号\n甲,乙\n".encode(), "政策.xlsx")})
    assert resp.status_code == 200
    assert "是 CSV 或纯文本文件，不是 Excel 工作簿" in resp.content.decode()
    wb = Workbook()
    wb.active.append(["标题", "随便"])
    buf = io.BytesIO()
    wb.save(buf)
    resp = client.post(IMPORT_URL, {"file": _upload(buf.getvalue())})
    assert "表头缺少列" in resp.content.decode()
    assert not Job.objects.exists() and not Policy.objects.exists()


def test_another_user_cannot_see_a_job_by_page_or_api(login, sysadmin, clerk, outsider, client, token_for):
    login(sysadmin).post(IMPORT_URL, {"file": _upload(workbook(rows(2)))})
    job = Job.objects.get()
    for user in (clerk, outsider):
        other = login(user)
        assert other.get(f"/jobs/{job.pk}/").status_code == 404
        assert f"/jobs/{job.pk}/" not in other.get("/jobs/").content.decode()
        assert client.get(f"/api/v1/jobs/{job.pk}", headers=token_for(user)).status_code == 404
    resp = client.get(f"/jobs/{job.pk}/")
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]
    assert client.get(f"/api/v1/jobs/{job.pk}").status_code == 401


def test_the_api_reports_the_job(client, sysadmin, login, token_for):
    login(sysadmin).post(IMPORT_URL, {"file": _upload(workbook(rows(4)))})
    job = Job.objects.get()
    body = client.get(f"/api/v1/jobs/{job.pk}", headers=token_for(sysadmin)).json()
    assert body["status"] == "done" and body["status_label"] == "已完成" and body["percent"] == 100
    assert (body["stage"], body["done"], body["total"]) == ("保存", 4, 4)
    assert body["summary"].startswith("导入完成：新增 4 条") and body["errors"] == [] and body["error"] == ""
    assert body["finished_at"] and body["title"] == "从 Excel 导入惠企政策"
    assert client.get("/api/v1/jobs/999999", headers=token_for(sysadmin)).json()["detail"] == "任务不存在。"


def test_a_domain_error_is_shown_and_an_internal_error_is_not(kinds, login, clerk):
    def refuse(job, progress):
        raise ValidationFailed("期限已过，不能导入。")

    def crash(job, progress):
        progress("计算", 1, 10)
        raise KeyError("secret_internal_name")

    refused = jobs.start(kinds("t.refuse", refuse), actor=clerk)
    crashed = jobs.start(kinds("t.crash", crash, internal_error_note="本次未保存任何数据。"), actor=clerk)
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert (refused.status, refused.error) == ("failed", "期限已过，不能导入。")
    assert crashed.status == "failed" and crashed.error == jobs.INTERNAL_ERROR + "本次未保存任何数据。"
    page = login(clerk).get(f"/jobs/{crashed.pk}/").content.decode()
    assert "系统内部错误" in page and "secret_internal_name" not in page and "Traceback" not in page


def test_a_job_runs_once(kinds, clerk):
    calls = []

    def count(job, progress):
        calls.append(job.pk)
        return jobs.Outcome(summary="好了。")

    job = jobs.start(kinds("t.count", count), actor=clerk)
    assert jobs.execute(job.pk) is None  # already done: a second worker (or a retry) does nothing
    assert calls == [job.pk]


def test_progress_is_written_at_each_stage_but_not_for_every_row(kinds, clerk):
    seen_in_db: list[tuple[str, int, int]] = []

    def work(job, progress):
        with CaptureQueriesContext(connection) as captured:
            for i in range(1, 1001):
                progress("校验", i, 1000)
            progress("保存", 0, 1000)
        seen_in_db.append(Job.objects.values_list("stage", "done", "total").get(pk=job.pk))
        work.writes = sum(1 for q in captured.captured_queries if q["sql"].startswith("UPDATE"))
        return jobs.Outcome(summary="完成。")

    jobs.start(kinds("t.progress", work), actor=clerk)
    assert seen_in_db == [("保存", 0, 1000)]
    # The first call, the last of the stage and the new stage; a fast loop writes little else.
    assert 3 <= work.writes <= 10


def test_the_page_polls_while_the_job_runs_and_warns_when_it_waits_too_long(login, clerk):
    job = Job.objects.create(kind="t.gone", title="测试任务", created_by=clerk)
    client = login(clerk)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "排队等待中" in page and "任务进程可能没有运行" not in page
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=2))
    fragment = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "任务进程可能没有运行" in fragment and "fazhi db_worker" in fragment
    Job.objects.filter(pk=job.pk).update(status="running", stage="校验", done=250, total=1000)
    fragment = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "正在校验：250 / 1,000 项" in fragment and 'value="25"' in fragment
    Job.objects.filter(pk=job.pk).update(
        stage="读取", done=1500, total=0
    )  # a sheet that did not give its size
    fragment = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert (
        "正在读取：已处理 1,500 项" in fragment and '<progress aria-label="进行中，总数尚不知道">' in fragment
    )
    job.refresh_from_db()
    stale = jobs.describe(job, now=job.updated_at + dt.timedelta(minutes=11))
    assert "任务进程可能已中断" in stale.warning


def test_an_unknown_kind_is_refused(clerk):
    with pytest.raises(ValidationFailed, match="未知的任务类型"):
        jobs.start("no.such.kind", actor=clerk)
    assert not Job.objects.exists()


def test_the_list_is_the_users_own_newest_first(login, clerk, sysadmin, kinds):
    name = kinds("t.ok", lambda job, progress: jobs.Outcome(summary="完成。"))
    first, second = jobs.start(name, actor=clerk), jobs.start(name, actor=clerk)
    jobs.start(name, actor=sysadmin)
    page = login(clerk).get("/jobs/").content.decode()
    assert page.index(f"/jobs/{second.pk}/") < page.index(f"/jobs/{first.pk}/")
    assert page.count('href="/jobs/') - page.count('href="/jobs/"') == 2


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_and_its_worker_run_the_import(settings, sysadmin):
    """With the production backend the request only queues the work; `fazhi db_worker` does it."""
    from django.test import Client

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend"}
    }  # django_tasks resets on change
    client = Client()
    client.force_login(sysadmin)
    client.post(IMPORT_URL, {"file": _upload(workbook(rows(5)))})
    job = Job.objects.get()
    assert job.status == "queued" and not Policy.objects.exists()
    call_command("db_worker", "--batch", "--interval", "0", verbosity=0)
    job.refresh_from_db()
    assert job.status == "done" and Policy.objects.count() == 5


def test_uploads_of_jobs_ended_long_ago_are_deleted_and_the_record_stays(kinds, clerk, settings):
    from pathlib import Path

    name = kinds("t.file", lambda job, progress: jobs.Outcome(summary="完成。"))
    old = jobs.start(name, actor=clerk, upload=_upload(b"PK old", "旧.xlsx"))
    recent = jobs.start(name, actor=clerk, upload=_upload(b"PK new", "新.xlsx"))
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=31))
    old_path = Path(settings.MEDIA_ROOT) / old.file.name
    assert old_path.exists()
    assert jobs.delete_old_files() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old_path.exists() and old.file.name == "" and old.file_name == "旧.xlsx"
    assert old.result["summary"] == "完成。"
    assert (Path(settings.MEDIA_ROOT) / recent.file.name).exists()
    settings.FAZHI_JOB_FILE_DAYS = 0  # keep for ever
    Job.objects.filter(pk=recent.pk).update(finished_at=timezone.now() - dt.timedelta(days=400))
    assert jobs.delete_old_files() == 0
