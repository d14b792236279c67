"""从文本录入法规: a file named .docx must really be a .docx (a zip); it is never read as plain text."""

from __future__ import annotations

import io
import re

import pytest

from fazhi.core.errors import ValidationFailed
from fazhi.laws.models import Law
from fazhi.laws.services import text_from_upload

from .test_parsing import PASTED

ADD_TEXT = "/admin/laws/law/add-text/"


def _upload(data: bytes, name: str) -> io.BytesIO:
    buf = io.BytesIO(data)
    buf.name = name
    return buf


@pytest.mark.parametrize("name", ["87号令.docx", "87号令.DOCX"])
def test_a_text_file_named_docx_is_refused_and_nothing_is_added(db, login, reviewer, name):
    response = login(reviewer).post(
        ADD_TEXT,
        {"level": "department_rule", "status": "in_force", "upload": _upload(PASTED.encode(), name)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{name} 不是有效的 .docx 文件" in page
    assert "没有从文本中识别出任何条文" not in page
    assert not Law.objects.exists()


def test_a_short_non_zip_docx_gets_the_same_message():
    with pytest.raises(ValidationFailed, match=r"不是有效的 \.docx 文件"):
        text_from_upload(name="办法.docx", data="只有一句话".encode())


def test_the_same_text_as_a_txt_file_is_still_read(db, login, reviewer):
    response = login(reviewer).post(
        ADD_TEXT,
        {"level": "department_rule", "status": "in_force", "upload": _upload(PASTED.encode(), "87号令.txt")},
    )
    assert response.status_code == 302
    assert Law.objects.get(title="政府采购货物和服务招标投标管理办法").articles.exists()


def test_the_add_text_form_ties_each_hint_to_its_field(db, login, reviewer):
    html = login(reviewer).get(ADD_TEXT).content.decode()
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    assert described, "the form's fields name their hints"
    for hint in described:
        assert f'id="{hint}"' in html, hint
