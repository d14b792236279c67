"""统一编号 at publication: the 发文字号 (文号) and 签发人 given with the publish transition.

国办发〔2018〕37号: 规范性文件实行统一登记、统一编号、统一印发. Both are optional unless the administrator
switches on `DocTypeRule.numbering_required` for the draft's type, when a normative document is not published
without them. A 文号 is checked for its form (`fazhi.core.doc_numbers`), its year (not after the year of
publication) and its serial, stored normalised, and used by one draft only (a database constraint keeps it so
under concurrent publications). The same checks apply when either is corrected afterwards
(`services.corrections`).
"""

from __future__ import annotations

import datetime as dt

from fazhi.core import doc_numbers
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.limits import check_length
from fazhi.review.models import DocTypeRule, Draft

MAX_SIGNER = 50  # Draft.signed_by max_length
EARLIEST_YEAR = 1949
DUPLICATE = "发文字号“{number}”已被另一份文件使用，同一文号不得重复登记，请核对后重新填写。"


def clean_doc_number(value: str, *, published_on: dt.date) -> str:
    """The 文号 in its normalised form ("" when none was given); ValidationFailed says what is wrong."""
    value = (value or "").strip()
    if not value:
        return ""
    found = doc_numbers.parse(value)
    if found is None:
        raise ValidationFailed(
            f"发文字号“{value[:60]}”格式不正确，应为“机关代字〔年份〕序号号”，如 阳财规〔2026〕1号"
            "（年份可用〔〕、[] 或 () 括起）。"
        )
    if found.year > published_on.year:
        raise ValidationFailed(
            f"发文字号“{value}”的年份 {found.year} 晚于发布年度 {published_on.year} 年，请核对年份。"
        )
    if found.year < EARLIEST_YEAR:
        raise ValidationFailed(f"发文字号“{value}”的年份 {found.year} 不合理，请核对年份。")
    if found.serial <= 0:
        raise ValidationFailed(f"发文字号“{value}”的序号应为正整数（从 1 起编）。")
    return str(found)


def clean_signer(value: str) -> str:
    """The 签发人's name ("" when none was given)."""
    value = " ".join((value or "").split())
    return check_length(value, "签发人姓名", MAX_SIGNER)


def missing(draft: Draft, rule: DocTypeRule, *, doc_number: str, signed_by: str) -> list[str]:
    """What a normative document of a type that requires 统一编号 lacks ("发文字号", "签发人"); [] otherwise."""
    if not (rule.numbering_required and draft.needs_procedure):
        return []
    return [name for name, value in (("发文字号", doc_number), ("签发人", signed_by)) if not value]


def check_unique(draft: Draft, doc_number: str) -> None:
    """Conflict (409) when another draft holds the 文号 already."""
    if doc_number and Draft.objects.filter(doc_number=doc_number).exclude(pk=draft.pk).exists():
        raise Conflict(DUPLICATE.format(number=doc_number))


def check(draft: Draft, rule: DocTypeRule, *, doc_number: str, signed_by: str) -> None:
    """Conflict (409) when the type requires a 文号 and 签发人 the publication lacks, or the 文号 is taken."""
    lacking = missing(draft, rule, doc_number=doc_number, signed_by=signed_by)
    if lacking:
        raise Conflict(
            f"{draft.get_doc_type_display()}发布须统一登记、统一编号，尚缺：{'、'.join(lacking)}。"
            "请填写后再发布。"
        )
    check_unique(draft, doc_number)
