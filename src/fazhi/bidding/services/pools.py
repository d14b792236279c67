"""Trading sites, expert pools and experts: Excel import with per-row errors, expert accounts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from fazhi.bidding import rules
from fazhi.bidding.models import CommitteeMember, Expert, ExpertPool, ExpertRelation, Site
from fazhi.bidding.services.common import check_length, require_manager
from fazhi.core import audit
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.fields import max_length

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
SPLIT = re.compile(r"[、,，;；/\s]+")

# Column headings of the import sheet (first row); 申报关系 holds "单位名称:情形" items split by ；
COLUMNS = ["姓名", "身份证号", "评审专业", "工作单位", "联系电话", "申报关系"]
GROUND_ALIASES = {
    "劳动关系": "employment",
    "任职": "employment",
    "董事": "director",
    "监事": "director",
    "董事监事": "director",
    "控股股东": "controller",
    "实际控制人": "controller",
    "近亲属": "family",
    "亲属": "family",
    "其他": "other",
}


def id_number_ok(value: str) -> bool:
    """GB 11643 citizen ID: 17 digits and a check character."""
    if not ID_PATTERN.match(value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == value[17]


def with_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + ID_CHECK[total % 11]


def ground_code(text: str) -> str | None:
    grounds = rules.value("conflict_grounds")
    text = text.strip()
    if text in grounds:
        return text
    for code, label in grounds.items():
        if text == label:
            return code
    return GROUND_ALIASES.get(text)


@transaction.atomic
def create_site(*, actor: Any, name: str, region: str) -> Site:
    require_manager(actor)
    name, region = name.strip(), region.strip()
    if not name or not region:
        raise ValidationFailed("交易中心名称和所在地区不能为空。")
    check_length(name, Site, "name", "交易中心名称")
    check_length(region, Site, "region", "所在地区")
    if Site.objects.filter(name=name).exists():
        raise ValidationFailed(f"交易中心“{name}”已存在。")
    return Site.objects.create(name=name, region=region)


@transaction.atomic
def create_pool(*, actor: Any, name: str, region: str, site: Site) -> ExpertPool:
    require_manager(actor)
    name, region = name.strip(), region.strip()
    if not name or not region:
        raise ValidationFailed("专家库名称和地区不能为空。")
    check_length(name, ExpertPool, "name", "专家库名称")
    check_length(region, ExpertPool, "region", "地区")
    if ExpertPool.objects.filter(name=name).exists():
        raise ValidationFailed(f"专家库“{name}”已存在。")
    return ExpertPool.objects.create(name=name, region=region, site=site)


@dataclass
class ExpertRow:
    row: int
    name: str
    id_number: str
    specialties: list[str]
    employer: str
    phone: str
    relations: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_rows(rows: list[tuple[int, list[Any]]]) -> tuple[list[ExpertRow], list[tuple[int, str]]]:
    """Validate sheet rows (row number, cells in COLUMNS order); returns good rows and per-row errors."""
    good: list[ExpertRow] = []
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for number, cells in rows:
        cells = [("" if c is None else str(c).strip()) for c in cells] + [""] * len(COLUMNS)
        name, id_number, specialties, employer, phone, relations = cells[:6]
        if not any(cells[:6]):
            continue
        problems = []
        id_number = id_number.upper()
        if not name:
            problems.append("姓名为空")
        for value, field_name, label in (
            (name, "name", "姓名"),
            (employer, "employer", "工作单位"),
            (phone, "phone", "联系电话"),
        ):
            limit = max_length(Expert, field_name)
            if limit is not None and len(value) > limit:
                problems.append(f"{label}超过 {limit} 个字")
        if not id_number_ok(id_number):
            problems.append(f"身份证号“{id_number[:4]}…”格式或校验位不正确")
        elif id_number in seen:
            problems.append(f"身份证号与第 {seen[id_number]} 行重复")
        spec_list = [s for s in SPLIT.split(specialties) if s]
        if not spec_list:
            problems.append("评审专业为空")
        parsed_rel = []
        for item in filter(None, (x.strip() for x in re.split(r"[；;\n]+", relations))):
            org, _, ground = item.partition(":") if ":" in item else item.partition("：")
            code = ground_code(ground or "其他")
            org_limit = max_length(ExpertRelation, "organisation")
            if not org.strip():
                problems.append(f"申报关系“{item}”缺少单位名称")
            elif org_limit is not None and len(org.strip()) > org_limit:
                problems.append(f"申报关系的单位名称超过 {org_limit} 个字")
            elif code is None:
                problems.append(
                    f"申报关系“{item}”的回避情形无法识别（可填：劳动关系、董事监事、控股股东、近亲属、其他）"
                )
            else:
                parsed_rel.append((org.strip(), code))
        if problems:
            errors.append((number, "；".join(problems)))
            continue
        seen[id_number] = number
        good.append(ExpertRow(number, name, id_number, spec_list, employer, phone, parsed_rel))
    return good, errors


def read_workbook(upload: Any) -> list[tuple[int, list[Any]]]:
    """Rows of the first sheet under a heading row that names the COLUMNS (any order)."""
    import zipfile

    from openpyxl import load_workbook

    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":
        raise ValidationFailed("请上传 Excel（.xlsx）文件。")
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ValidationFailed("无法读取该 Excel 文件，请确认文件未损坏且为 .xlsx 格式。")
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    wb.close()
    if not rows:
        raise ValidationFailed("Excel 文件是空的。")
    heading = [("" if c is None else str(c).strip()) for c in rows[0]]
    missing = [c for c in COLUMNS[:3] if c not in heading]
    if missing:
        raise ValidationFailed(
            f"第 1 行应为表头，缺少列：{'、'.join(missing)}（完整表头：{'、'.join(COLUMNS)}）。"
        )
    index = [heading.index(c) if c in heading else None for c in COLUMNS]
    out = []
    for number, row in enumerate(rows[1:], start=2):
        out.append((number, [row[i] if i is not None and i < len(row) else "" for i in index]))
    return out


@transaction.atomic
def import_experts(*, pool: ExpertPool, actor: Any, upload: Any) -> ImportResult:
    """Import a pool from Excel; any row error imports nothing and lists every bad row."""
    require_manager(actor)
    good, errors = parse_rows(read_workbook(upload))
    taken = dict(
        Expert.objects.filter(id_number__in=[r.id_number for r in good])
        .exclude(pool=pool)
        .select_related("pool")
        .values_list("id_number", "pool__name")
    )
    for r in good:
        if r.id_number in taken:
            errors.append((r.row, f"该专家已在“{taken[r.id_number]}”中，不能重复入库"))
    result = ImportResult(errors=sorted(errors))
    if errors:
        return result
    with audit.suspended():
        for r in good:
            expert, created = Expert.objects.update_or_create(
                id_number=r.id_number,
                defaults={
                    "pool": pool,
                    "name": r.name,
                    "specialties": r.specialties,
                    "employer": r.employer,
                    "phone": r.phone,
                },
            )
            expert.relations.all().delete()
            for org, code in r.relations:
                ExpertRelation.objects.create(expert=expert, organisation=org, ground=code)
            if created:
                result.created += 1
            else:
                result.updated += 1
    audit.record(
        action="import",
        obj=pool,
        after={"created": result.created, "updated": result.updated},
        comment="专家库 Excel 导入",
    )
    return result


@transaction.atomic
def add_expert(
    *,
    pool: ExpertPool,
    actor: Any,
    name: str,
    id_number: str,
    specialties: list[str],
    employer: str = "",
    phone: str = "",
    relations: list[tuple[str, str]] | None = None,
) -> Expert:
    """Add one expert by hand (same checks as the import)."""
    require_manager(actor)
    rel_text = "；".join(f"{org}:{code}" for org, code in relations or [])
    good, errors = parse_rows([(1, [name, id_number, "、".join(specialties), employer, phone, rel_text])])
    if errors:
        raise ValidationFailed(errors[0][1] + "。")
    r = good[0]
    if Expert.objects.filter(id_number=r.id_number).exists():
        raise ValidationFailed("该身份证号的专家已在库中。")
    expert = Expert.objects.create(
        pool=pool,
        name=r.name,
        id_number=r.id_number,
        specialties=r.specialties,
        employer=r.employer,
        phone=r.phone,
    )
    for org, code in r.relations:
        ExpertRelation.objects.create(expert=expert, organisation=org, ground=code)
    return expert


@transaction.atomic
def create_expert_account(*, expert: Expert, actor: Any, username: str, password: str) -> Any:
    """Create the 评标专家 login linked to this expert (used for the scoring page)."""
    from fazhi.core.models import User

    require_manager(actor)
    username = username.strip()
    if expert.user is not None:
        raise Conflict(f"专家{expert.name}已有账号 {expert.user.username}。")
    if not re.match(r"^[\w.@+-]{3,150}$", username):
        raise ValidationFailed("账号只能包含字母、数字和 . @ + - _，长度 3—150。")
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(f"账号“{username}”已被使用。")
    if len(password) < 8:
        raise ValidationFailed("密码至少 8 位。")
    user = User(username=username, display_name=expert.name, department=expert.employer or "评标专家")
    user.set_password(password)
    user.save()
    expert.user = user
    expert.save()
    # Seats drawn before the account existed are linked now, so the expert can score them.
    CommitteeMember.objects.filter(expert=expert, active=True, user__isnull=True).update(user=user)
    return user
