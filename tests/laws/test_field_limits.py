"""A law entered by hand must fit its columns: an over-long title, issuer, region, heading or article
number is refused in Chinese with the limit named — never cut to fit, never a server error."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from fazhi.core.errors import ValidationFailed
from fazhi.laws import services
from fazhi.laws.models import Article, Law, LawVersion

MANUAL = "/api/v1/laws/manual"
ADD_TEXT = "/admin/laws/law/add-text/"
BODY = "第一条 为了规范管理，制定本办法。\n第二条 本办法自公布之日起施行。"


def post_manual(headers: dict, **payload: str):
    return Client().post(MANUAL, {"text": BODY, **payload}, content_type="application/json", headers=headers)


def test_an_over_long_title_is_refused_and_nothing_is_saved(db, reviewer, token_for):
    headers = token_for(reviewer)
    # Two titles that share their first 300 characters used to land on one law, cut to those 300.
    for ending in ("甲", "乙"):
        response = post_manual(headers, title="关" * 4999 + ending)
        assert response.status_code == 400
        assert response.json()["detail"] == "法规标题不能超过 300 个字（当前 5,000 个字）。"
    assert not Law.objects.exists() and not LawVersion.objects.exists() and not Article.objects.exists()


def test_a_title_of_exactly_the_limit_is_kept_whole(db, reviewer, token_for):
    title = "办" * 300
    response = post_manual(token_for(reviewer), title=title)
    assert response.status_code == 201, response.content.decode()
    assert Law.objects.get().title == title


def test_a_first_line_too_long_for_a_title_asks_for_a_title(db, reviewer, token_for):
    response = post_manual(token_for(reviewer), text="规" * 400 + "\n" + BODY)
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "未填写标题时取全文第一行为标题，而第一行有 400 个字，超过标题上限 300 个字。请填写法规标题。"
    )
    assert not Law.objects.exists()


@pytest.mark.parametrize(("field", "limit", "label"), [("issuer", 200, "制定机关"), ("region", 50, "地区")])
def test_an_over_long_issuer_or_region_is_refused_with_its_limit(
    db, reviewer, token_for, field, limit, label
):
    response = post_manual(token_for(reviewer), title="某办法", **{field: "区" * (limit + 1)})
    assert response.status_code == 400
    assert response.json()["detail"] == f"{label}不能超过 {limit} 个字（当前 {limit + 1} 个字）。"
    assert not Law.objects.exists()


def test_an_over_long_short_name_is_refused_by_the_service(db, reviewer):
    with pytest.raises(ValidationFailed, match=r"^简称不能超过 200 个字（当前 201 个字）。$"):
        services.add_law_from_text(user=reviewer, text=BODY, title="某办法", short_name="简" * 201)
    assert not Law.objects.exists()


def test_an_over_long_heading_is_refused_not_cut(db, reviewer):
    text = "# 某办法\n\n## 第一章 " + "总" * 300 + "\n\n第一条 为了规范管理，制定本办法。"
    with pytest.raises(ValidationFailed, match=r"^第一条所在的章标题不能超过 200 个字（当前 304 个字）"):
        services.add_law_from_text(user=reviewer, text=text)
    assert not Law.objects.exists()


def test_a_published_document_whose_heading_does_not_fit_becomes_one_whole_article(db):
    text = "# 某通知\n\n## 第一章 " + "总" * 300 + "\n\n第一条 为了规范管理，制定本办法。"
    version = services.register_published_document(
        key="doc-long-heading", title="某通知", text=text, issuer="区财政局", published_on=dt.date(2026, 3, 5)
    )
    [article] = version.articles.all()
    assert article.label == "全文" and article.chapter == ""
    assert article.text.splitlines() == ["第一章 " + "总" * 300, "第一条 为了规范管理，制定本办法。"]


def test_an_article_number_too_large_for_its_column_is_a_400_not_a_server_error(db, reviewer, token_for):
    text = "第一条 为了规范管理，制定本办法。\n第九九九九九九九九九九九九条 本办法自公布之日起施行。"
    response = post_manual(token_for(reviewer), title="某办法", text=text)
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "第 2 个条文的编号过大（该条以“本办法自公布之日起施行。”开头），请检查文本（每条以“第X条”开头）。"
    )
    assert not Law.objects.exists()


def test_the_admin_form_refuses_an_over_long_title_too(db, login, reviewer):
    response = login(reviewer).post(
        ADD_TEXT, {"title": "关" * 301, "text": BODY, "level": "department_rule", "status": "in_force"}
    )
    assert response.status_code == 200 and "300" in response.content.decode()
    assert not Law.objects.exists()


def test_outsiders_are_refused_before_their_title_is_read(db, outsider, token_for):
    assert post_manual(token_for(outsider), title="关" * 5000).status_code == 403
    assert not Law.objects.exists()


@pytest.mark.parametrize(
    ("given", "label", "limit"),
    [
        ({"key": "k" * 65}, "来源标识", 64),
        ({"provenance": "源" * 301}, "来源说明", 300),
        ({"link": "/review/" + "l" * 293}, "来源链接", 300),
    ],
)
def test_a_published_documents_record_fields_are_refused_whole_not_cut(db, given, label, limit):
    # A key cut to its 64 characters was stored, then looked for whole: a second registration made a twin.
    values = {"key": "doc-1", "title": "某通知", "text": BODY, "issuer": "区财政局"} | given
    with pytest.raises(ValidationFailed, match=rf"^{label}不能超过 {limit} 个字（当前 {limit + 1} 个字）。$"):
        services.register_published_document(published_on=dt.date(2026, 3, 5), **values)
    assert not Law.objects.exists() and not LawVersion.objects.exists()
    at_limit = {name: value[:limit] for name, value in given.items()}
    version = services.register_published_document(published_on=dt.date(2026, 3, 5), **(values | at_limit))
    stored = {"key": version.external_id, "provenance": version.provenance, "link": version.source_path}
    assert all(stored[name] == value for name, value in at_limit.items())
    again = services.register_published_document(published_on=dt.date(2026, 3, 5), **(values | at_limit))
    assert again.pk == version.pk  # found again by its whole key


def test_a_provenance_too_long_to_follow_is_refused_and_nothing_changes(db):
    version = services.register_published_document(
        key="doc-2", title="某通知", text=BODY, issuer="区财政局", published_on=dt.date(2026, 3, 5),
        provenance="本文件经合法性审查后公布",
    )  # fmt: skip
    with pytest.raises(ValidationFailed, match=r"^来源说明不能超过 300 个字（当前 301 个字）。$"):
        services.follow_document_provenance(
            version_id=version.pk, provenance="源" * 301, reason="更正发文字号"
        )
    version.refresh_from_db()
    assert version.provenance == "本文件经合法性审查后公布"
