"""Excel import in bulk: a fixed number of queries whatever the row count, progress reported, one bad row
still stops the whole file; the CLI (`fazhi import policies 文件.xlsx --as 账号`) and the admin page."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.policies import excel
from fazhi.policies.models import Policy
from tests.policies.test_excel import workbook


def rows(n: int, start: int = 0) -> list[dict[str, object]]:
    """n rows of the three kinds: with 外部编号, with 文号 only, with neither."""
    out: list[dict[str, object]] = []
    for i in range(start, start + n):
        row: dict[str, object] = {
            "title": f"政策{i}",
            "issuer": "区财政局",
            "published_date": "2026-01-05",
            "themes": "稳岗就业",
            "support_amount": "10",
        }
        if i % 3 == 0:
            row["external_id"] = f"e-{i}"
        elif i % 3 == 1:
            row["doc_number"] = f"区财发〔2026〕{i}号"
        out.append(row)
    return out


def queries(data: bytes, actor) -> int:
    with CaptureQueriesContext(connection) as captured:
        report = excel.import_rows(data, actor=actor)
    assert report.errors == []
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_rows(sysadmin):
    small_new = queries(workbook(rows(12)), sysadmin)
    large_new = queries(workbook(rows(120, start=100)), sysadmin)
    small_again = queries(workbook(rows(12)), sysadmin)
    large_again = queries(workbook(rows(120, start=100)), sysadmin)

    assert Policy.objects.count() == 132
    # Bulk INSERTs grow by one per batch of rows the database accepts at once; nothing grows per row.
    assert large_new - small_new <= 8, (small_new, large_new)
    assert large_again == small_again, (small_again, large_again)
    assert large_again < 20


def test_changed_rows_cost_one_update_each_and_unchanged_rows_none(sysadmin):
    excel.import_rows(workbook(rows(30)), actor=sysadmin)
    edited = rows(30)
    for row in edited[:5]:
        row["themes"] = "房租减免"
    with CaptureQueriesContext(connection) as captured:
        report = excel.import_rows(workbook(edited), actor=sysadmin)
    updates = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('UPDATE "policies_policy"')]
    assert (report.updated, report.unchanged, len(updates)) == (30, 25, 5)
    assert Policy.objects.filter(themes=["房租减免"]).count() == 5


def test_progress_is_reported_for_each_stage(sysadmin):
    seen: list[tuple[str, int, int]] = []
    excel.import_rows(workbook(rows(1200)), actor=sysadmin, progress=lambda *a: seen.append(a))
    stages = list(dict.fromkeys(stage for stage, _, _ in seen))
    assert stages == ["读取", "校验", "保存"]
    assert [(s, d, t) for s, d, t in seen if s == "保存"][-1] == ("保存", 1200, 1200)
    assert ("校验", 500, 1200) in seen and ("校验", 1200, 1200) in seen


def test_one_bad_row_among_many_saves_nothing(sysadmin):
    data = rows(300)
    data[250]["sizes"] = "特大型"
    report = excel.import_rows(workbook(data), actor=sysadmin)
    assert report.errors == ["第252行：企业规模“特大型”无效，应为：大型、中型、小型、微型。"]
    assert not Policy.objects.exists()


def test_imported_policies_get_their_derived_fields(sysadmin):
    text = "自2026年2月1日起至2026年6月30日止，对小微企业给予房租减免。"
    excel.import_rows(
        workbook([{"title": "甲", "doc_number": "区财发〔2026〕7号", "full_text": text}]), actor=sysadmin
    )
    policy = Policy.objects.get()
    assert (policy.doc_agency_code, policy.doc_year, policy.doc_serial) == ("区财发", 2026, 7)
    assert str(policy.measures_end) == "2026-06-30" and policy.status == "valid"
    assert policy.created_at is not None and policy.updated_at is not None


def test_the_cli_imports_an_excel_file_with_progress_and_is_idempotent(sysadmin, tmp_path, capsys):
    path = tmp_path / "政策.xlsx"
    path.write_bytes(workbook(rows(6)))
    out = io.StringIO()
    call_command("import_policies", str(path), "--as", sysadmin.username, stdout=out)
    assert "导入完成：新增 6 条，更新 0 条。" in out.getvalue()
    bars = capsys.readouterr().err  # tqdm draws on the terminal's stderr, as for JSONL files
    assert "读取" in bars and "校验" in bars and "保存: 100%" in bars and "6/6" in bars

    out = io.StringIO()
    call_command("import_policies", str(path), "--as", sysadmin.username, stdout=out, stderr=io.StringIO())
    assert "新增 0 条，更新 6 条" in out.getvalue() and Policy.objects.count() == 6


def test_the_cli_reports_row_errors_and_saves_nothing(sysadmin, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook([{"title": "甲"}, {"title": "乙", "level": "乡"}]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="发现 1 处错误，未导入任何数据"):
        call_command("import_policies", str(path), "--as", sysadmin.username, stderr=err, verbosity=0)
    assert "第3行：层级“乡”无效" in err.getvalue()
    assert not Policy.objects.exists()


def test_the_cli_needs_an_account_that_may_edit_policies(outsider, tmp_path):
    path = tmp_path / "p.xlsx"
    path.write_bytes(workbook([{"title": "甲"}]))
    with pytest.raises(CommandError, match="须用 --as 指定账号"):
        call_command("import_policies", str(path))
    with pytest.raises(CommandError, match="账号“nobody”不存在"):
        call_command("import_policies", str(path), "--as", "nobody")
    with pytest.raises(CommandError, match="只有财政局工作人员或系统管理员可以维护惠企政策"):
        call_command("import_policies", str(path), "--as", outsider.username, verbosity=0)
    assert not Policy.objects.exists()


def test_the_admin_page_explains_re_import_and_reports_how_rows_matched(login, sysadmin):
    client = login(sysadmin)
    page = client.get("/admin/policies/policy/excel/import/").content.decode()
    assert excel.IDENTITY_RULE in page

    for _ in range(2):
        upload = SimpleUploadedFile("p.xlsx", workbook(rows(3)))
        resp = client.post("/admin/policies/policy/excel/import/", {"file": upload}, follow=True)
    page = resp.content.decode()
    assert "导入完成：新增 0 条，更新 3 条。更新的政策中按外部编号 1 条，按文号 1 条" in page
    assert Policy.objects.count() == 3


def test_the_admin_import_refuses_an_outsider(login, outsider):
    upload = SimpleUploadedFile("p.xlsx", workbook([{"title": "甲"}]))
    resp = login(outsider).post("/admin/policies/policy/excel/import/", {"file": upload})
    assert resp.status_code in (302, 403)
    assert not Policy.objects.exists()


def test_a_policy_created_meanwhile_by_another_import_is_a_clear_error(sysadmin, monkeypatch):
    from django.db import IntegrityError

    from fazhi.core.errors import ValidationFailed

    def collide(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: policies_policy.external_id")

    monkeypatch.setattr(Policy.objects, "bulk_create", collide)
    with pytest.raises(ValidationFailed, match="同时导入了相同的政策，本次未保存任何数据"):
        excel.import_rows(workbook(rows(3)), actor=sysadmin)
    assert not Policy.objects.exists()
