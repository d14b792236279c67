"""The 惠企政策 Excel import as a 后台任务 (fazhi.core.jobs): the admin page saves the file and starts it;
the job page shows 读取 / 校验 / 保存 as they advance, then the result or every row's error."""

from __future__ import annotations

from django.urls import reverse

from fazhi.core import jobs
from fazhi.core.models import Job
from fazhi.policies import excel

NAME = "policies.excel_import"


def run(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    with job.file.open("rb") as fh:
        data = fh.read()
    report = excel.import_rows(data, actor=job.created_by, name=job.file_name, progress=progress)
    if report.errors:
        return jobs.Outcome(
            summary=f"发现 {len(report.errors)} 处错误，未导入任何数据。请按行号修改后重新上传。",
            errors=report.errors,
            notes=report.skipped,
        )
    return jobs.Outcome(
        summary=report.summary,
        notes=report.skipped,
        next_url=reverse("admin:policies_policy_changelist"),
        next_label="返回惠企政策列表",
    )


KIND = jobs.Kind(
    NAME,
    title="从 Excel 导入惠企政策",
    run=run,
    unit="行",
    internal_error_note="本次未保存任何数据。",
    retry_url="admin:policies_excel_import",
)
