"""合法性审查 versions from real Word files: numbering, tracked changes, tables; refusals store nothing."""

from __future__ import annotations

import codecs

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fazhi.core.errors import ValidationFailed
from fazhi.review import diff, files, services
from fazhi.review.models import DraftVersion, PrecheckFinding
from tests.fixtures import office as o

NUMBERING = o.numbering({1: [o.ARTICLES], 2: [o.ENUM, o.ITEMS]}, {1: 1, 2: 2})


def numbered_draft() -> bytes:
    """A 规范性文件 draft as drafters write it in Word: 第X条 and （一） come from automatic numbering,
    the reviewer's tracked changes are still in the file, and a table sits between two articles."""
    body = (
        o.p("关于规范政府采购活动的通知")
        + o.p("为规范政府采购行为，根据《中华人民共和国政府采购法》制定本通知。", num=1)
        + o.p("采购人不得有下列行为：", num=1)
        + o.p("限定投标人须在本区注册；", num=2, ilvl=1)
        + o.p("将本地业绩作为加分条件。", num=2, ilvl=1)
        + o.table([["事项", "时限"], ["公告", "20日"]])
        + o.p("本通知自", o.deleted("2026年1月1日"), o.ins("印发之日"), "起施行。", num=1)
    )
    return o.docx(body, numbering_xml=NUMBERING)


EXPECTED = [
    "关于规范政府采购活动的通知",
    "第一条\u3000为规范政府采购行为，根据《中华人民共和国政府采购法》制定本通知。",
    "第二条\u3000采购人不得有下列行为：",
    "（一）限定投标人须在本区注册；",
    "（二）将本地业绩作为加分条件。",
    "事项 | 时限",
    "公告 | 20日",
    "第三条\u3000本通知自印发之日起施行。",
]


def test_a_word_draft_reads_with_its_numbers_accepted_changes_and_tables_in_place():
    assert files.extract("通知.docx", numbered_draft()).text.split("\n") == EXPECTED


def test_the_precheck_of_an_uploaded_version_sees_the_numbered_prohibition_list(clerk, make_draft):
    # "采购人不得有下列行为：（一）限定…" prohibits what the items describe; without the （一）（二）
    # Word draws, the items read as requirements of the draft and were flagged as discriminatory.
    draft = make_draft()
    version = services.upload_version(user=clerk, draft_id=draft.pk, name="通知.docx", data=numbered_draft())
    assert version.text.split("\n") == EXPECTED
    rules = set(PrecheckFinding.objects.filter(version=version).values_list("rule_id", flat=True))
    assert not {"PROC-GENERAL", "PROC-REGIONAL-PERF", "PROC-LOCAL"} & rules


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("通知.docx", o.encrypted_office(), "设置了打开密码"),
        (
            "通知.docx",
            o.old_word(),
            "旧版 Word 97-2003（.doc）或 WPS 文字（.wps）格式，请在 Word 或 WPS 中“另存为”",
        ),
        ("通知.wps", o.wps_document(), "“另存为”Word 文档（.docx）"),
        ("通知.doc", o.old_word(), "“另存为”Word 文档（.docx）"),
        ("通知.docx", o.zip_bomb(o.docx(o.p("正文")), "word/document.xml", 300), "解压后超过 256 MB"),
        ("通知.docx", o.docx(o.p("正文"))[:3000], "已损坏，无法打开"),
    ],
)
def test_unreadable_word_files_are_refused_with_what_to_do(name, data, words):
    with pytest.raises(ValidationFailed) as err:
        files.extract(name, data)
    assert words in err.value.message


def test_notepad_unicode_text_is_read():
    data = codecs.BOM_UTF16_LE + "第一条　资金管理。\r\n第二条　附则。".encode("utf-16-le")
    assert files.extract("说明.txt", data).text == "第一条　资金管理。\n第二条　附则。"


def test_a_password_protected_upload_through_the_api_stores_nothing(clerk, make_draft, token_for, settings):
    draft = make_draft()
    before = DraftVersion.objects.count()
    upload = SimpleUploadedFile("送审稿.docx", o.encrypted_office())
    resp = Client().post(
        f"/api/v1/review/drafts/{draft.pk}/files", {"file": upload}, headers=token_for(clerk)
    )
    assert resp.status_code == 400
    assert "设置了打开密码" in resp.json()["detail"]
    assert DraftVersion.objects.count() == before
    media = settings.MEDIA_ROOT / "review"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_an_outsider_cannot_upload_a_version(outsider, make_draft, token_for):
    draft = make_draft()
    before = DraftVersion.objects.count()
    upload = SimpleUploadedFile("通知.docx", numbered_draft())
    resp = Client().post(
        f"/api/v1/review/drafts/{draft.pk}/files", {"file": upload}, headers=token_for(outsider)
    )
    assert resp.status_code in (403, 404)
    assert DraftVersion.objects.count() == before


def test_inserting_an_article_pairs_the_renumbered_ones_with_their_old_selves():
    old = ["通知", "第一条\u3000甲。", "第二条\u3000乙。", "第三条\u3000丙。"]
    new = ["通知", "第一条\u3000甲。", "第二条\u3000新增。", "第三条\u3000乙。", "第四条\u3000丙。"]
    rows = diff.side_by_side(old, new)
    assert [(r.tag, r.left_no, r.right_no) for r in rows] == [
        ("equal", 1, 1),
        ("equal", 2, 2),
        ("insert", None, 3),
        ("replace", 3, 4),  # 乙 faces 乙, changed only in its number
        ("replace", 4, 5),
    ]
    assert str(rows[3].left) == "第<del>二</del>条\u3000乙。"
    assert str(rows[3].right) == "第<ins>三</ins>条\u3000乙。"
