"""Review fixtures: file builders and drafts in any state."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document

from fazhi.core import roles
from fazhi.core.services import ensure_user
from fazhi.review import services
from fazhi.review.models import Draft, DraftVersion, ProcedureRecord, ProcedureStep

DRAFT_TEXT = (
    "关于进一步规范财政专项资金管理的通知\n"
    "第一条 为加强财政专项资金管理，根据《中华人民共和国预算法》制定本办法。\n"
    "第二条 申请资金的企业须在本区注册并纳税满三年。\n"
    "第三条 本办法自印发之日起施行。"
)


def docx_bytes(paragraphs: list[str]) -> bytes:
    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pdf_bytes(lines: list[str]) -> bytes:
    """A minimal one-page PDF with ASCII text (Helvetica), enough for pypdf to extract."""
    ops = ["BT", "/F1 12 Tf", "72 720 Td"]
    for line in lines:
        ops.append(f"({line}) Tj")
        ops.append("0 -16 Td")
    ops.append("ET")
    stream = "\n".join(ops).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


@pytest.fixture
def other_drafter(db):
    return ensure_user(
        username="clerk2",
        display_name="clerk2",
        role_names=[roles.DRAFTER, roles.STAFF_MEMBER],
        password="x-pass-2026",
    )


def add_version(draft: Draft, user, text: str = DRAFT_TEXT) -> DraftVersion:
    number = draft.versions.count() + 1
    return DraftVersion.objects.create(
        draft=draft,
        number=number,
        file=f"review/test/v{number}.txt",
        original_name=f"v{number}.txt",
        kind="txt",
        size=len(text.encode()),
        sha256="0" * 64,
        text=text,
        uploaded_by=user,
    )


def complete_procedures(draft: Draft, user) -> None:
    """All three steps, in their order: 集体审议 follows the 合法性审核, which the tests reach today."""
    for step in ProcedureStep:
        day = timezone.localdate() if step == ProcedureStep.DELIBERATION else dt.date(2026, 1, 5)
        ProcedureRecord.objects.create(
            draft=draft, step=step, date=day, summary=f"{step.label}已完成", recorded_by=user
        )


@pytest.fixture
def make_draft(clerk):
    """make_draft(state=..., major=False, normative=True) → a draft with a version (and procedures if normative)."""

    def _make(
        state: str = "drafting", *, major: bool = False, normative: bool = True, title: str = "资金管理办法"
    ):
        draft = services.create_draft(
            user=clerk,
            title=title,
            doc_type="normative" if normative else "contract",
            unit="预算科",
            is_major=major,
        )
        add_version(draft, clerk)
        if normative:
            complete_procedures(draft, clerk)
        if state != "drafting":
            Draft.objects.filter(pk=draft.pk).update(state=state)
            draft.refresh_from_db()
        return draft

    return _make
