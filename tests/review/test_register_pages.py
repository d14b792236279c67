"""发文登记簿 pages and API: the ledger's readers read, 法制审核员 and 系统管理员 write, an enterprise user and
an anonymous visitor are refused everywhere; bad input is answered in Chinese and changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client

from fazhi.core.models import AuditEvent
from fazhi.review.models import IssuedDocument
from fazhi.review.register import excel
from fazhi.review.register import services as register
from tests.days import Days, resolve, today

YEAR = today().year
EARLY = max(today() - dt.timedelta(days=3), dt.date(YEAR, 1, 1))
NUMBER = f"阳财规〔{YEAR}〕5号"
API = "/api/v1/review/register"
FORM = {
    "doc_number": NUMBER,
    "title": "关于调整收费项目的通知",
    "unit": "综合科",
    "issued_on": EARLY.isoformat(),
    "doc_type": "normative",
    "exempt_reason": "",
}


def xlsx(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = excel.SHEET
    ws.append(excel.COLUMNS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "发文登记.xlsx") -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


@pytest.fixture
def missed(reviewer) -> IssuedDocument:
    return register.create_entry(user=reviewer, **{**FORM, "issued_on": EARLY})


def state() -> tuple[int, int, list]:
    """What a refused write must leave as it was."""
    rows = list(IssuedDocument.objects.order_by("pk").values_list(*register.FIELDS, "draft"))
    return IssuedDocument.objects.count(), AuditEvent.objects.count(), rows


PAGES = ["/review/register/", "/review/register.xlsx", "/review/register/new/", "/review/register/import/",
         "/review/register/template.xlsx"]  # fmt: skip


# --- refusals --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["enterprise", "outsider"])
def test_an_enterprise_user_or_an_account_without_a_role_sees_no_page(request, login, missed, who):
    client = login(request.getfixturevalue(who))
    for path in [*PAGES, f"/review/register/{missed.pk}/"]:
        assert client.get(path).status_code == 403, path
    before = state()
    assert client.post("/review/register/new/", FORM).status_code == 403
    assert client.post(f"/review/register/{missed.pk}/", {**FORM, "title": "改"}).status_code == 403
    r = client.post("/review/register/import/", {"file": upload(xlsx([[None, "x", "y", EARLY, "合同", ""]]))})
    assert r.status_code == 403
    assert state() == before


def test_an_anonymous_visitor_is_sent_to_log_in_everywhere(client, missed):
    for path in [*PAGES, f"/review/register/{missed.pk}/"]:
        r = client.get(path)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"], path
    before = state()
    assert client.post("/review/register/new/", FORM).status_code == 302
    assert state() == before


@pytest.mark.parametrize("who", ["director", "supervisor"])
def test_leaders_and_supervisors_read_but_do_not_write(request, login, missed, who):
    client = login(request.getfixturevalue(who))
    html = client.get("/review/register/").content.decode()
    assert missed.title in html and "登记发文" not in html
    assert client.get("/review/register.xlsx").status_code == 200
    before = state()
    for path in ("/review/register/new/", f"/review/register/{missed.pk}/", "/review/register/import/"):
        assert client.get(path).status_code == 403
        assert client.post(path, FORM).status_code == 403
    assert state() == before


@pytest.mark.parametrize("via", ["token", "session"])
@pytest.mark.parametrize("who", ["enterprise", "outsider", "clerk"])
def test_the_api_refuses_an_outsider_at_every_endpoint(request, token_for, missed, who, via):
    user = request.getfixturevalue(who)
    if via == "token":
        client, headers = Client(), token_for(user)
    else:
        client, headers = Client(), {}
        client.force_login(user)
    before = state()
    calls = [
        client.get(API, headers=headers),
        client.get(f"{API}.xlsx", headers=headers),
        client.post(API, {"title": 1}, content_type="application/json", headers=headers),
        client.patch(f"{API}/{missed.pk}", {"title": "改"}, content_type="application/json", headers=headers),
        client.post(f"{API}/import", {"file": upload(xlsx([]))}, headers=headers),
    ]
    for r in calls:
        assert r.status_code == 403, r.content
        assert r.json()["code"] == "forbidden" and "发文登记簿" in r.json()["detail"]
    assert state() == before


def test_the_api_asks_an_anonymous_caller_to_log_in(client, missed):
    before = state()
    assert client.get(API).status_code == 401
    assert client.post(API, FORM, content_type="application/json").status_code == 401
    assert (
        client.patch(f"{API}/{missed.pk}", {"title": "改"}, content_type="application/json").status_code
        == 401
    )
    assert client.post(f"{API}/import", {"file": upload(xlsx([]))}).status_code == 401
    assert state() == before


@pytest.mark.parametrize("who", ["director", "supervisor"])
def test_readers_read_the_api_but_may_not_write(request, token_for, missed, who):
    headers = token_for(request.getfixturevalue(who))
    r = Client().get(f"{API}?year={YEAR}&status=missed", headers=headers)
    assert r.status_code == 200 and [i["title"] for i in r.json()["items"]] == [missed.title]
    assert r.json()["summary"]["missed"] == 1
    r = Client().post(API, {**FORM, "doc_number": ""}, content_type="application/json", headers=headers)
    assert r.status_code == 403


# --- pages -----------------------------------------------------------------------------------------------


def test_a_reviewer_registers_a_document_on_the_form(login, reviewer):
    client = login(reviewer)
    assert "登记发文" in client.get("/review/register/new/").content.decode()
    r = client.post("/review/register/new/", FORM)
    assert r.status_code == 302
    e = IssuedDocument.objects.get()
    assert (e.doc_number, e.registered_by) == (NUMBER, reviewer)
    html = client.get(r["Location"]).content.decode()
    assert e.title in html and "未审查（漏审）" in html and "漏审 1 件" in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"doc_number": "阳财规第5号"}, "格式不正确"),
        ({"issued_on": Days(1, iso=True)}, "晚于今天"),
        ({"doc_type": "通知"}, "文书类型"),
        ({"title": ""}, "请填写文件标题"),
    ],
)
def test_the_form_refuses_bad_input_and_keeps_what_was_typed(login, reviewer, changes, message):
    changes = resolve(changes)
    client = login(reviewer)
    before = state()
    r = client.post("/review/register/new/", {**FORM, **changes})
    assert r.status_code == 400 and message in r.content.decode()
    assert FORM["unit"] in r.content.decode()
    assert state() == before


def test_the_form_refuses_a_duplicate_number(login, reviewer, missed):
    client = login(reviewer)
    before = state()
    r = client.post("/review/register/new/", {**FORM, "title": "另一份"})
    assert r.status_code == 400 and "已在发文登记簿中登记" in r.content.decode()
    assert state() == before


def test_a_reviewer_edits_an_entry_and_marks_it_exempt(login, reviewer, missed):
    client = login(reviewer)
    assert missed.title in client.get(f"/review/register/{missed.pk}/").content.decode()
    r = client.post(f"/review/register/{missed.pk}/", {**FORM, "exempt_reason": "内部事务性文件"})
    assert r.status_code == 302
    missed.refresh_from_db()
    assert missed.exempt_reason == "内部事务性文件"
    assert client.get("/review/register/404404/").status_code == 404


def test_the_import_page_lists_bad_rows_by_number_and_imports_nothing(login, reviewer):
    client = login(reviewer)
    bad = xlsx(
        [
            [NUMBER, "好的一行", "综合科", EARLY, "行政规范性文件", ""],
            ["阳财规第1号", "文号写错", "综合科", EARLY, "行政规范性文件", ""],
        ]
    )
    before = state()
    r = client.post("/review/register/import/", {"file": upload(bad)})
    html = r.content.decode()
    assert r.status_code == 400 and "第3行" in html and "格式不正确" in html and "未导入任何数据" in html
    assert state() == before
    good = xlsx([[NUMBER, "好的一行", "综合科", EARLY, "行政规范性文件", ""]])
    r = client.post("/review/register/import/", {"file": upload(good)})
    assert r.status_code == 200 and "新增 1 件" in r.content.decode() and "漏审 1 件" in r.content.decode()
    assert IssuedDocument.objects.get().source == "import"


def test_the_template_and_export_download_as_excel(login, reviewer, missed):
    client = login(reviewer)
    r = client.get("/review/register/template.xlsx")
    assert r.status_code == 200 and excel.SHEET in openpyxl.load_workbook(io.BytesIO(r.content)).sheetnames
    r = client.get("/review/register.xlsx?status=missed")
    ws = openpyxl.load_workbook(io.BytesIO(r.content))[excel.SHEET]
    assert ws["B2"].value == missed.title and ws["G2"].value == "未审查（漏审）"


def test_the_list_filters_and_refuses_a_bad_filter(login, reviewer, missed):
    client = login(reviewer)
    register.create_entry(user=reviewer, title="会议通知", unit="办公室", issued_on=EARLY, doc_type="other")
    html = client.get("/review/register/?status=not_required").content.decode()
    assert "会议通知" in html and missed.title not in html
    html = client.get("/review/register/?unit=综合").content.decode()
    assert missed.title in html and "会议通知" not in html
    r = client.get("/review/register/?year=今年")
    assert r.status_code == 400 and "年份" in r.content.decode()


def test_the_ledger_page_compares_with_the_register(login, reviewer, supervisor, missed):
    html = login(supervisor).get("/review/ledger/").content.decode()
    assert "与发文登记簿比对" in html and "漏审 1 件" in html
    assert f"/review/register/?year={YEAR}&amp;status=missed" in html
    html = login(reviewer).get(f"/review/ledger/?year={YEAR - 1}").content.decode()
    assert "尚无登记" in html


# --- API -------------------------------------------------------------------------------------------------


def test_a_reviewer_adds_changes_and_lists_entries_through_the_api(reviewer, token_for):
    headers = token_for(reviewer)
    r = Client().post(API, {**FORM, "doc_number": f"阳财规[{YEAR}]05号"}, content_type="application/json",
                      headers=headers)  # fmt: skip
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["doc_number"] == NUMBER and body["status"] == "missed"
    r = Client().patch(f"{API}/{body['id']}", {"exempt_reason": "内部事务性文件"}, content_type="application/json",
                       headers=headers)  # fmt: skip
    assert r.status_code == 200 and r.json()["status"] == "exempt" and r.json()["title"] == FORM["title"]
    r = Client().get(f"{API}?year={YEAR}&status=免审", headers=headers)
    assert r.json()["count"] == 1 and r.json()["summary"]["exempt"] == 1
    r = Client().patch(f"{API}/999999", {"title": "x"}, content_type="application/json", headers=headers)
    assert r.status_code == 404 and "不存在" in r.json()["detail"]


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        ({"doc_number": "阳财规第5号"}, 400, "格式不正确"),
        ({"issued_on": Days(1, iso=True)}, 400, "晚于今天"),
        ({"doc_type": "通知"}, 400, "文书类型"),
        ({"title": " "}, 400, "请填写文件标题"),
        ({"title": "另一份"}, 409, "已在发文登记簿中登记"),
    ],
)
def test_the_api_refuses_bad_input_in_chinese(reviewer, token_for, missed, changes, code, message):
    changes = resolve(changes)
    before = state()
    r = Client().post(API, {**FORM, **changes}, content_type="application/json", headers=token_for(reviewer))
    assert r.status_code == code and message in r.json()["detail"]
    assert state() == before


def test_the_api_imports_a_workbook_or_lists_its_bad_rows(sysadmin, token_for):
    headers = token_for(sysadmin)
    bad = xlsx([[None, "未来的文件", "综合科", today() + dt.timedelta(days=3), "合同", ""]])
    before = state()
    r = Client().post(f"{API}/import", {"file": upload(bad)}, headers=headers)
    assert (
        r.status_code == 400
        and r.json()["errors"][0]["row"] == 2
        and "晚于今天" in r.json()["errors"][0]["message"]
    )
    assert state() == before
    good = xlsx([[None, "内部通知", "办公室", EARLY, "合同", "内部事务性文件"]])
    r = Client().post(f"{API}/import", {"file": upload(good)}, headers=headers)
    assert r.status_code == 200 and r.json()["created"] == 1 and r.json()["missed_count"] == 0


# --- audit fixes -----------------------------------------------------------------------------------------


def test_an_edit_that_moves_the_issue_day_to_another_year_lists_that_year(login, reviewer, missed):
    last_year = dt.date(YEAR - 1, 6, 1)
    r = login(reviewer).post(
        f"/review/register/{missed.pk}/", {**FORM, "doc_number": "", "issued_on": last_year.isoformat()}
    )
    assert r.status_code == 302 and r["Location"] == f"/review/register/?year={YEAR - 1}"


def test_the_export_page_writes_dates_as_dates(login, reviewer, missed):
    r = login(reviewer).get("/review/register.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(r.content))[excel.SHEET]
    assert ws["D2"].is_date and ws["D2"].value.date() == EARLY
    assert ws["N2"].is_date  # 登记时间


def test_the_api_refuses_unknown_fields_and_nulls_in_a_change(reviewer, token_for, missed):
    headers = token_for(reviewer)
    before = state()
    r = Client().patch(f"{API}/{missed.pk}", {"bogus": 1, "titel": "x"}, content_type="application/json",
                       headers=headers)  # fmt: skip
    assert r.status_code == 400 and "不能修改的项目：bogus、titel" in r.json()["detail"]
    r = Client().patch(f"{API}/{missed.pk}", {"doc_number": None}, content_type="application/json",
                       headers=headers)  # fmt: skip
    assert r.status_code == 400 and "发文字号（doc_number）不能为 null" in r.json()["detail"]
    r = Client().patch(f"{API}/{missed.pk}", {"exempt_reason": None}, content_type="application/json",
                       headers=headers)  # fmt: skip
    assert r.status_code == 400 and "免审理由" in r.json()["detail"]
    assert state() == before
    # "" clears the 文号; null unlinks the draft.
    r = Client().patch(f"{API}/{missed.pk}", {"doc_number": "", "draft_id": None}, content_type="application/json",
                       headers=headers)  # fmt: skip
    assert r.status_code == 200 and r.json()["doc_number"] == ""


def test_a_draft_already_linked_is_refused_on_the_form_and_through_the_api(
    make_draft, clerk, reviewer, login, token_for
):
    from .test_register import published

    draft = published(make_draft, clerk, reviewer, number=NUMBER)
    own = IssuedDocument.objects.get(draft=draft)
    client = login(reviewer)  # logging in is audited
    before = state()
    r = client.post("/review/register/new/", {**FORM, "doc_number": "", "draft_id": str(draft.pk)})
    html = r.content.decode()
    assert r.status_code == 400 and "已关联发文登记" in html and own.title in html
    assert 'id="id_draft" aria-invalid="true" aria-describedby="form-error"' in html
    assert state() == before
    headers = token_for(reviewer)  # issuing the token is audited
    before = state()
    r = Client().post(API, {**FORM, "doc_number": "", "draft_id": draft.pk}, content_type="application/json",
                      headers=headers)  # fmt: skip
    assert r.status_code == 409 and "已关联发文登记" in r.json()["detail"]
    assert state() == before


def test_the_type_must_be_chosen_and_a_refused_field_is_marked(login, reviewer):
    client = login(reviewer)
    html = client.get("/review/register/new/").content.decode()
    assert '<option value="" selected>请选择</option>' in html
    before = state()
    r = client.post("/review/register/new/", {**FORM, "doc_type": ""})
    html = r.content.decode()
    assert r.status_code == 400 and "请填写文书类型" in html
    assert '<select id="id_doc_type" aria-invalid="true" aria-describedby="form-error"' in html
    assert 'id="form-error"' in html
    r = client.post("/review/register/new/", {**FORM, "title": ""})
    html = r.content.decode()
    assert '<input id="id_title" aria-invalid="true"' in html and 'id="id_unit" aria-invalid' not in html
    assert state() == before


def test_the_import_names_what_it_updated_and_refuses_another_title_for_a_reviewed_document(
    make_draft, clerk, reviewer, login
):
    from .test_register import published

    draft = published(make_draft, clerk, reviewer, number=NUMBER)
    client = login(reviewer)
    before = state()
    bad = xlsx([[NUMBER, "另一份文件", "综合科", EARLY, "行政规范性文件", ""]])
    r = client.post("/review/register/import/", {"file": upload(bad)})
    html = r.content.decode()
    assert (
        r.status_code == 400
        and f"已登记为《{draft.title}》并关联审查记录" in html
        and "未导入任何数据" in html
    )
    assert state() == before
    good = xlsx([[NUMBER, draft.title, "法规科", today(), "行政规范性文件", ""]])
    r = client.post("/review/register/import/", {"file": upload(good)})
    assert r.status_code == 200 and f"更新 1 件（{NUMBER}《{draft.title}》）" in r.content.decode()
