"""Which existing policy each row of a 惠企政策 Excel import updates (see excel.IDENTITY_RULE).

Contract: `Known.load(rows, cleaned_rows)` reads in a few bulk queries what the rows need (the policies
named by 系统编号 or 外部编号, the 文号 and 标题 keys of the policies without 外部编号, and the policies those
keys single out); `Known.existing(row, …)` then answers per row without a query. `SeenIdentity` refuses
two rows that the next import could not tell apart, so importing a file twice never duplicates.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from fazhi.core.batches import chunks
from fazhi.core.errors import ValidationFailed
from fazhi.policies import extract
from fazhi.policies.models import Policy


@dataclass
class Row:
    rownum: int
    external_id: str
    record: str
    values: dict[str, Any]


def number_key(doc_number: str) -> str:
    """A 文号 compared as written, whatever the brackets and spaces: 区财发[2025]1号 = 区财发〔2025〕1号."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", doc_number or ""))
    return extract.parse_doc_number(text)[0] or text


def title_key(title: str, issuer: str, published: Any) -> tuple[str, str, str]:
    """标题 + 发文机关 + 发布日期, compared without spaces or full-width/half-width differences."""

    def fold(text: str) -> str:
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))

    return fold(title), fold(issuer), str(published or "")


@dataclass
class Known:
    """What the rows need from the database, read in a few queries: the policies named by 系统编号 or
    外部编号, and 文号/标题 keys of the policies without 外部编号 (fetched whole only when a row matches)."""

    by_pk: dict[int, Policy]
    by_external_id: dict[str, Policy]
    by_number: dict[str, list[int]]
    by_title: dict[tuple[str, str, str], list[tuple[int, bool]]]  # (pk, has a 文号)

    @classmethod
    def load(cls, rows: list[Row], cleaned_rows: list[dict[str, Any] | None]) -> Known:
        pks = sorted({int(r.record) for r in rows if _valid_record(r.record)})
        ids = sorted({r.external_id for r in rows if r.external_id})
        by_pk: dict[int, Policy] = {}
        for some_pks in chunks(pks):
            by_pk.update(Policy.objects.in_bulk(some_pks))
        by_external_id: dict[str, Policy] = {}
        for some_ids in chunks(ids):
            by_external_id.update(Policy.objects.in_bulk(some_ids, field_name="external_id"))
        by_number: dict[str, list[int]] = {}
        by_title: dict[tuple[str, str, str], list[tuple[int, bool]]] = {}
        if any(not (r.record or r.external_id) for r in rows):
            keys = Policy.objects.filter(external_id=None).values_list(
                "pk", "doc_number", "title", "issuer", "published_date"
            )
            for pk, doc_number, title, issuer, published in keys.iterator(chunk_size=2000):
                if doc_number:
                    by_number.setdefault(number_key(doc_number), []).append(pk)
                by_title.setdefault(title_key(title, issuer, published), []).append((pk, bool(doc_number)))
        known = cls(by_pk, by_external_id, by_number, by_title)
        wanted: set[int] = set()
        for row, cleaned in zip(rows, cleaned_rows, strict=True):
            if cleaned is not None and not (row.record or row.external_id):
                found, _ = known._candidates(cleaned)
                if len(found) == 1:
                    wanted.update(found)
        for chunk in chunks(sorted(wanted - set(by_pk))):
            by_pk.update(Policy.objects.in_bulk(chunk))
        return known

    def existing(
        self, row: Row, cleaned: dict[str, Any] | None, seen_pk: dict[int, int]
    ) -> tuple[Policy | None, str]:
        """The policy the row updates and how it was found (MATCH_LABELS key), or (None, "") for a new
        policy. Refused when the 系统编号 names no policy, when an earlier row already updates the same
        policy, when the row's 外部编号 belongs to another policy, or when its 文号/标题 fit several."""
        record, external_id = row.record, row.external_id
        how = ""
        if record:
            if not _valid_record(record):
                raise ValidationFailed(f"系统编号“{record[:20]}”无效：应为导出文件中的数字，新增政策请留空。")
            policy = self.by_pk.get(int(record))
            if policy is None:
                raise ValidationFailed(
                    f"系统编号 {record} 的政策不存在（可能已被删除）；作为新政策导入请清空系统编号。"
                )
            other = self.by_external_id.get(external_id) if external_id else None
            if other is not None and other.pk != policy.pk:
                raise ValidationFailed(f"外部编号 {external_id} 已被系统编号 {other.pk} 的政策使用。")
            how = "record"
        elif external_id:
            policy = self.by_external_id.get(external_id)
            how = "external_id"
        elif cleaned is not None:
            policy, how = self._by_identity(cleaned)
        else:
            return None, ""  # a row with errors and no identity: its errors are reported instead
        if policy is None:
            return None, ""
        if policy.pk in seen_pk:
            raise ValidationFailed(
                f"与第{seen_pk[policy.pk]}行是同一条政策（系统编号 {policy.pk}），请合并为一行。"
            )
        seen_pk[policy.pk] = row.rownum
        return policy, how

    def _candidates(self, cleaned: dict[str, Any]) -> tuple[list[int], str]:
        """The policies without 外部编号 a row without 系统编号 and 外部编号 may mean: those with its 文号;
        failing that (or with no 文号) those with its 标题 + 发文机关 + 发布日期 (and no 文号 of their own, if
        the row has one)."""
        key = title_key(cleaned["title"], cleaned.get("issuer", ""), cleaned.get("published_date"))
        number = cleaned.get("doc_number", "")
        if number:
            if found := self.by_number.get(number_key(number), []):
                return found, "doc_number"
            return [pk for pk, has_number in self.by_title.get(key, []) if not has_number], "title"
        return [pk for pk, _ in self.by_title.get(key, [])], "title"

    def _by_identity(self, cleaned: dict[str, Any]) -> tuple[Policy | None, str]:
        found, how = self._candidates(cleaned)
        if len(found) > 1:
            what = (
                f"文号 {cleaned.get('doc_number', '')}" if how == "doc_number" else "标题、发文机关和发布日期"
            )
            pks = "、".join(str(pk) for pk in sorted(found)[:5])
            raise ValidationFailed(
                f"{what}与多条已有政策相同（系统编号 {pks}），无法确定更新哪一条：请在本行填写系统编号"
                "（可先导出，从导出文件中复制），或先删除重复的政策。"
            )
        if not found:
            return None, ""
        return self.by_pk[found[0]], how


def _valid_record(record: str) -> bool:
    # isascii: "²" and other Unicode digits pass isdigit() but not int(); 18 digits keep it in range.
    return bool(record) and record.isascii() and record.isdigit() and len(record) <= 18


class SeenIdentity:
    """Rows that will be policies without 外部编号 must stay distinguishable on the next import: no two with
    one 文号, and none without a 文号 sharing 标题 + 发文机关 + 发布日期 with another row."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.titles: dict[tuple[str, str, str], int] = {}  # every row's key → first row
        self.bare_titles: dict[tuple[str, str, str], int] = {}  # rows without 文号

    def check(self, rownum: int, cleaned: dict[str, Any]) -> None:
        key = title_key(cleaned["title"], cleaned.get("issuer", ""), cleaned.get("published_date"))
        number = number_key(cleaned.get("doc_number", "")) if cleaned.get("doc_number") else ""
        if number and number in self.numbers:
            raise ValidationFailed(
                f"文号 {cleaned['doc_number']} 与第{self.numbers[number]}行重复，请合并为一行。"
            )
        clash = self.bare_titles.get(key) if number else self.titles.get(key)
        if clash is not None:
            raise ValidationFailed(
                f"标题、发文机关和发布日期与第{clash}行相同，且未填写文号或外部编号，再次导入时无法区分："
                "请合并为一行，或填写文号、外部编号。"
            )
        if number:
            self.numbers[number] = rownum
        else:
            self.bare_titles.setdefault(key, rownum)
        self.titles.setdefault(key, rownum)
