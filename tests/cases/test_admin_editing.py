"""Editing cases in the admin: applied articles cited once, publish rules on a published case, status shown."""

from __future__ import annotations

import re

from django.conf import settings

from fazhi.cases.models import AppliedArticle, Case, CaseStatus
from fazhi.laws.models import Article

ADD = "/admin/cases/case/add/"


def _change(case: Case) -> str:
    return f"/admin/cases/case/{case.pk}/change/"


def _post_data(case: Case | None = None, *, rows: list[dict] | None = None, **fields) -> dict:
    """The change form as the browser sends it: the case's fields, then the 适用条文 inline rows."""
    data = {
        "title": case.title if case else "某区采购中心以特定地区业绩作为加分条件",
        "category": case.category if case else "procurement",
        "tags": case.tags if case else "",
        "summary": case.summary if case else "",
        "source_issuer": "",
        "source_doc_number": "",
        "source_date": "",
        "source_url": "",
        "source_note": "",
        "facts": case.facts if case else "招标文件将本区业绩作为加分条件。",
        "dispute": "",
        "decision": case.decision if case else "责令改正。",
        "analysis": "",
        "lessons": "",
        **fields,
    }
    existing = list(case.applied.all()) if case else []
    rows = rows if rows is not None else [{"article": a.article_id, "id": a.pk} for a in existing]
    data.update(
        {
            "applied-TOTAL_FORMS": str(len(rows)),
            "applied-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
            "applied-MIN_NUM_FORMS": "0",
            "applied-MAX_NUM_FORMS": "1000",
        }
    )
    for i, row in enumerate(rows):
        data[f"applied-{i}-article"] = str(row.get("article") or "")
        data[f"applied-{i}-note"] = row.get("note", "")
        data[f"applied-{i}-order"] = str(row.get("order", i))
        data[f"applied-{i}-id"] = str(row.get("id") or "")
        data[f"applied-{i}-case"] = str(case.pk) if case else ""
        if row.get("DELETE"):
            data[f"applied-{i}-DELETE"] = "on"
    return data


def _current(number: int) -> Article:
    return Article.objects.get(number=number, version__is_latest=True)


def _old(number: int) -> Article:
    return Article.objects.get(number=number, version__is_latest=False)


# --- Finding 5: the same article twice ---------------------------------------------------------------


def test_adding_a_case_citing_the_same_article_twice_is_refused_with_a_form_error(
    login, sysadmin, procurement_law
):
    art = _current(20)
    data = _post_data(rows=[{"article": art.pk}, {"article": art.pk, "note": "重复"}])
    response = login(sysadmin).post(ADD, data)
    assert response.status_code == 200
    assert "该条文已添加" in response.content.decode()
    assert not Case.objects.exists() and not AppliedArticle.objects.exists()
    # What was typed is still in the form.
    assert "某区采购中心以特定地区业绩作为加分条件" in response.content.decode()


def test_two_versions_of_the_same_article_count_as_the_same_citation(login, sysadmin, make_case):
    case = make_case(publish=False)
    existing = case.applied.get()
    rows = [{"article": existing.article_id, "id": existing.pk}, {"article": _old(20).pk}]
    response = login(sysadmin).post(_change(case), _post_data(case, rows=rows))
    assert response.status_code == 200 and "该条文已添加" in response.content.decode()
    assert list(case.applied.values_list("article_id", flat=True)) == [existing.article_id]


def test_distinct_articles_and_a_row_replaced_by_a_deleted_rows_article_are_saved(login, sysadmin, make_case):
    case = make_case(
        publish=False,
        articles=[{"law": "政府采购法实施条例", "article": 20}, {"law": "政府采购法实施条例", "article": 9}],
    )
    first, second = case.applied.order_by("order")
    # Delete 第九条 and, in the same save, point the 第二十条 row at 第九条: no duplicate is left.
    rows = [
        {"article": _current(9).pk, "id": first.pk},
        {"article": second.article_id, "id": second.pk, "DELETE": True},
    ]
    response = login(sysadmin).post(_change(case), _post_data(case, rows=rows))
    assert response.status_code == 302
    assert list(case.applied.values_list("number", flat=True)) == [9]
    # Swapping two rows' articles is no duplicate either.
    make = case.applied.get()
    rows = [{"article": _current(20).pk, "id": make.pk}, {"article": _current(9).pk}]
    assert login(sysadmin).post(_change(case), _post_data(case, rows=rows)).status_code == 302
    a, b = case.applied.order_by("order")
    rows = [{"article": _current(9).pk, "id": a.pk}, {"article": _current(20).pk, "id": b.pk}]
    assert login(sysadmin).post(_change(case), _post_data(case, rows=rows)).status_code == 302
    assert list(case.applied.order_by("order").values_list("number", flat=True)) == [9, 20]


# --- Finding 6: a published case keeps what publishing requires; the status is shown --------------------


def test_a_published_case_cannot_be_emptied_in_the_admin(login, sysadmin, make_case):
    case = make_case()
    response = login(sysadmin).post(_change(case), _post_data(case, facts="", decision="   "))
    assert response.status_code == 200
    page = response.content.decode()
    assert "已发布的案例须至少填写“基本案情”或“处理结果”" in page
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED
    assert case.facts and case.decision


def test_a_published_case_can_still_be_edited_and_a_draft_can_be_emptied(login, sysadmin, make_case):
    case = make_case()
    response = login(sysadmin).post(_change(case), _post_data(case, facts="", decision="责令改正并通报。"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.facts, case.decision) == (CaseStatus.PUBLISHED, "", "责令改正并通报。")
    draft = make_case("草稿案例", publish=False)
    assert login(sysadmin).post(_change(draft), _post_data(draft, facts="", decision="")).status_code == 302


def test_the_change_form_shows_the_status(login, sysadmin, make_case):
    status = re.compile(r'field-status">.*?<label>状态：</label>\s*<div class="readonly">([^<]*)</div>', re.S)
    published = make_case()
    page = login(sysadmin).get(_change(published)).content.decode()
    assert status.search(page).group(1) == "已发布"
    assert 'name="status"' not in page  # shown, not editable: publishing goes through the actions
    draft = make_case("草稿案例", publish=False)
    page = login(sysadmin).get(_change(draft)).content.decode()
    assert status.search(page).group(1) == "草稿"


# --- Finding 7: the editor link on the case page leads somewhere the editor can use ------------------------


def test_the_demo_drafter_follows_the_edit_link_into_the_case_admin(client, make_case):
    from fazhi.core.services import create_demo_accounts

    create_demo_accounts()
    case = make_case(publish=False)
    client.login(username="drafter", password=settings.DEMO_PASSWORD)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    link = _change(case)
    assert "在后台编辑此案例" in page and f'href="{link}"' in page
    response = client.get(link)
    assert response.status_code == 200 and case.title in response.content.decode()


def test_an_editor_without_admin_access_gets_a_note_instead_of_a_dead_link(login, clerk, make_case):
    case = make_case(publish=False)
    page = login(clerk).get(f"/cases/{case.pk}/").content.decode()
    assert "在后台编辑此案例" not in page and "/admin/cases/case/" not in page
    assert "请联系系统管理员开通" in page


# --- Finding 12: "# 标题" keeps its heading in the preview and on the saved case's page --------------------


def test_a_markdown_heading_survives_the_preview_and_the_saved_case(login, sysadmin, make_case):
    client = login(sysadmin)
    preview = client.post("/cases/markdown-preview/", {"text": "# 标题\n\n正文"}).json()["html"]
    assert "<h2>标题</h2>" in preview and "<p>正文</p>" in preview
    case = make_case()
    data = _post_data(case, facts="# 案情经过\n\n招标文件设置了地域限制。")
    assert client.post(_change(case), data).status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "<h2>案情经过</h2>" in page and "<p>招标文件设置了地域限制。</p>" in page
