"""投标人: registration (price, 中小企业声明函 and its figures, 投标形式, the bid document) and the 资格/符合性审查 result."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import filetype
from django.db import transaction

from fazhi.bidding.models import Bidder, Participation, Project, ScoreSheet, SmeSize, Status
from fazhi.bidding.services.common import (
    check_choice,
    lock_project,
    model_field,
    require_manager,
    to_decimal,
)
from fazhi.bidding.services.sizing_check import declared_figures
from fazhi.core import audit
from fazhi.core import credit_code as credit_codes
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.limits import check_field

MAX_BID_DOCUMENT = 50 * 1024 * 1024


def _check_document(upload: Any) -> None:
    if upload.size > MAX_BID_DOCUMENT:
        raise ValidationFailed("投标文件不能超过 50 MB。")
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(b"%PDF"):
        return
    kind = filetype.guess(head)
    if head.startswith(b"PK") or (kind is not None and kind.extension in ("zip", "docx")):
        data = upload.read()
        upload.seek(0)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "word/document.xml" in zf.namelist():
                    return
        except zipfile.BadZipFile:
            pass
    raise ValidationFailed("投标文件须为 PDF 或 Word（.docx）文件。")


def _ensure_open(project: Project) -> None:
    if project.status in (Status.EVALUATED, Status.REPORTED, Status.CONFIRMED):
        raise Conflict("评标已结束，不能再修改投标人。")
    if ScoreSheet.objects.filter(member__committee__project=project, signed_at__isnull=False).exists():
        raise Conflict("已有专家签名确认评分，不能再修改投标人。")


def _small_share(participation: str, raw: Any) -> Decimal:
    """The small/micro firms' share of a consortium's or subcontracting bidder's contract (0–100%)."""
    check_choice(participation or "", Participation, "投标形式")
    share = to_decimal(
        raw if str(raw).strip() else "0", "小微企业合同份额", model_field(Bidder, "small_share_pct")
    )
    if not 0 <= share <= 100:
        raise ValidationFailed(f"小微企业合同份额应在 0 到 100 之间（当前 {share}%）。")
    if participation == Participation.INDEPENDENT and share != 0:
        raise ValidationFailed(
            "独立投标的无须填写小微企业合同份额；联合体投标或大中型企业分包给小微企业的才填写。"
        )
    return share


@transaction.atomic
def add_bidder(
    *,
    project: Project,
    actor: Any,
    name: str,
    bid_price: Any,
    credit_code: str = "",
    sme_declaration: bool = False,
    sme_size: str = "",
    participation: str = Participation.INDEPENDENT,
    small_share_pct: Any = "0",
    document: Any = None,
    declared_employees: Any = None,
    declared_revenue: Any = None,
    declared_assets: Any = None,
) -> Bidder:
    """Register a bid (price, 中小企业声明函 with the figures it states, 投标形式 and the small/micro share) for
    the project; when the project names its industry, a claimed size needs the figures that industry is sized by."""
    require_manager(actor)
    # Under the project lock: a bid registered while the committee is drawn is either seen by the draw
    # (and its conflicts excluded) or comes after it; the same bidder sent twice at once is refused.
    project = lock_project(project.pk)
    _ensure_open(project)
    name = name.strip()
    if not name:
        raise ValidationFailed("投标人名称不能为空。")
    check_field(name, Bidder, "name")
    if Bidder.objects.filter(project=project, name=name).exists():
        raise ValidationFailed(f"投标人“{name}”已登记。")
    price = to_decimal(bid_price, "投标报价", model_field(Bidder, "bid_price"))
    if price <= 0:
        raise ValidationFailed("投标报价必须大于 0。")
    check_choice(sme_size or "", SmeSize, "企业规模")
    if sme_size and not sme_declaration:
        raise ValidationFailed("声明企业规模须同时提交中小企业声明函。")
    figures = declared_figures(
        industry=project.sme_industry,
        sme_declaration=sme_declaration,
        sme_size=sme_size or "",
        employees=declared_employees,
        revenue=declared_revenue,
        assets=declared_assets,
    )
    share = _small_share(participation, small_share_pct)
    credit_code = credit_codes.normalize(credit_code)
    if credit_code and (problem := credit_codes.problem(credit_code)):
        raise ValidationFailed(problem)
    if document:
        _check_document(document)
    bidder = Bidder(
        project=project,
        name=name,
        credit_code=credit_code,
        bid_price=price,
        sme_declaration=sme_declaration,
        sme_size=sme_size or "",
        participation=participation,
        small_share_pct=share,
        **figures,
    )
    if document:
        bidder.document.save(getattr(document, "name", "bid.pdf"), document, save=False)
    bidder.save()
    return bidder


@transaction.atomic
def set_bidder_validity(*, bidder: Bidder, actor: Any, valid: bool, reason: str = "") -> Bidder:
    """资格/符合性审查 result: an invalid bid takes no part in scoring or the price base."""
    require_manager(actor)
    project = lock_project(bidder.project_id)
    _ensure_open(project)
    bidder = Bidder.objects.get(pk=bidder.pk)
    reason = reason.strip()
    if not valid and not reason:
        raise ValidationFailed("认定投标无效须写明原因。")
    check_field(reason, Bidder, "invalid_reason", "投标无效的原因")
    before = {"valid": bidder.valid, "invalid_reason": bidder.invalid_reason}
    bidder.valid = valid
    bidder.invalid_reason = "" if valid else reason
    bidder.save()
    audit.record(
        action="transition",
        obj=bidder,
        before=before,
        after={"valid": valid, "invalid_reason": bidder.invalid_reason},
        comment="资格/符合性审查结论",
    )
    return bidder
