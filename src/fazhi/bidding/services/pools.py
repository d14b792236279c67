"""Trading sites, expert pools and experts: Excel import with per-row errors, expert accounts."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.bidding import rules
from fazhi.bidding.models import WINDOW_GROUNDS, CommitteeMember, Expert, ExpertPool, ExpertRelation, Site
from fazhi.bidding.services.common import require_manager
from fazhi.core import audit
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.limits import check_field, field_problem
from fazhi.core.spreadsheets import ERROR_VALUES, cell_text

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


def ground_code(text: str, grounds: dict[str, str] | None = None) -> str | None:
    """The conflict ground a 申报关系 names (code, label or a common alias); None if unknown.
    `grounds` is the rule's table when the caller already has it (a whole sheet looks it up once)."""
    grounds = grounds if grounds is not None else rules.value("conflict_grounds")
    text = text.strip()
    if text in grounds:
        return text
    for code, label in grounds.items():
        if text == label:
            return code
    return GROUND_ALIASES.get(text)


def _create_once(model: Any, taken: str, **values: Any) -> Any:
    """Insert a row whose name must be unique; the same form sent twice at once gets `taken`, not a 500."""
    try:
        with transaction.atomic():
            return model.objects.create(**values)
    except IntegrityError:
        raise ValidationFailed(taken) from None


@transaction.atomic
def create_site(*, actor: Any, name: str, region: str) -> Site:
    require_manager(actor)
    name, region = name.strip(), region.strip()
    if not name or not region:
        raise ValidationFailed("交易中心名称和所在地区不能为空。")
    check_field(name, Site, "name", "交易中心名称")
    check_field(region, Site, "region", "所在地区")
    taken = f"交易中心“{name}”已存在。"
    if Site.objects.filter(name=name).exists():
        raise ValidationFailed(taken)
    return _create_once(Site, taken, name=name, region=region)


@transaction.atomic
def create_pool(*, actor: Any, name: str, region: str, site: Site) -> ExpertPool:
    require_manager(actor)
    name, region = name.strip(), region.strip()
    if not name or not region:
        raise ValidationFailed("专家库名称和地区不能为空。")
    check_field(name, ExpertPool, "name", "专家库名称")
    check_field(region, ExpertPool, "region", "地区")
    taken = f"专家库“{name}”已存在。"
    if ExpertPool.objects.filter(name=name).exists():
        raise ValidationFailed(taken)
    return _create_once(ExpertPool, taken, name=name, region=region, site=site)


@dataclass
class ExpertRow:
    row: int
    name: str
    id_number: str
    specialties: list[str]
    employer: str
    phone: str
    relations: list[tuple[str, str, dt.date | None]] = field(default_factory=list)  # org, ground, ended on


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _ended_on(text: str) -> tuple[dt.date | None, str]:
    """The end date of a relation ("2022-06-30", "2022年6月30日"), or why it cannot be read."""
    text = (text or "").strip().removeprefix("至").removesuffix("止").strip()
    if not text:
        return None, ""
    m = _DATE.match(text)
    try:
        day = dt.date(int(m[1]), int(m[2]), int(m[3])) if m else None
    except ValueError:
        day = None
    if day is None:
        return None, f"“{text}”无法识别，请写成 年-月-日（如 2022-06-30）"
    if day > timezone.localdate():
        return None, f"“{text}”晚于今天；关系尚未终止的不填终止日期"
    return day, ""


def parse_rows(rows: list[tuple[int, list[Any]]]) -> tuple[list[ExpertRow], list[tuple[int, str]]]:
    """Validate sheet rows (row number, cells in COLUMNS order); returns good rows and per-row errors."""
    good: list[ExpertRow] = []
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    grounds = rules.value("conflict_grounds")
    for number, raw in rows:
        cells = [cell_text(c) for c in raw] + [""] * len(COLUMNS)
        name, id_number, specialties, employer, phone, relations = cells[:6]
        if not any(cells[:6]):
            continue
        problems = []
        if broken := [COLUMNS[i] for i, c in enumerate(cells[:6]) if c in ERROR_VALUES]:
            errors.append((number, f"{'、'.join(broken)}是公式的错误值（如 #N/A），请改正公式或填写实际内容"))
            continue
        id_digits_lost = len(raw) > 1 and isinstance(raw[1], float) and raw[1] >= 1e15
        # Fullwidth digits and the spaces people type to group the digits are not part of the number.
        id_number = re.sub(r"\s+", "", unicodedata.normalize("NFKC", id_number)).upper()
        if not name:
            problems.append("姓名为空")
        for value, field_name, label in (
            (name, "name", "姓名"),
            (employer, "employer", "工作单位"),
            (phone, "phone", "联系电话"),
        ):
            if problem := field_problem(value, Expert, field_name, label):
                problems.append(problem)
        if id_digits_lost:
            # Excel keeps 15 significant digits: an 18-digit ID typed into a number cell loses its last
            # digits (shown as 1.10101E+17) and cannot be recovered from the file.
            problems.append(
                "身份证号被 Excel 存成了数字，后几位已丢失；请把该列设为“文本”格式后重新输入身份证号"
            )
        elif not id_number_ok(id_number):
            problems.append(f"身份证号“{id_number[:4]}…”格式或校验位不正确")
        elif id_number in seen:
            problems.append(f"身份证号与第 {seen[id_number]} 行重复")
        spec_list = [s for s in SPLIT.split(specialties) if s]
        if not spec_list:
            problems.append("评审专业为空")
        parsed_rel = []
        for item in filter(None, (x.strip() for x in re.split(r"[；;\n]+", relations))):
            org, ground, ended_text = (re.split(r"[:：]", item, maxsplit=2) + ["", ""])[:3]
            code = ground_code(ground.strip() or "其他", grounds)
            ended_on, bad_end = _ended_on(ended_text)
            org_problem = field_problem(org.strip(), ExpertRelation, "organisation", "申报关系的单位名称")
            if not org.strip():
                problems.append(f"申报关系“{item}”缺少单位名称")
            elif org_problem:
                problems.append(org_problem)
            elif code is None:
                problems.append(
                    f"申报关系“{item}”的回避情形无法识别（可填：劳动关系、董事监事、控股股东、近亲属、其他）"
                )
            elif bad_end:
                problems.append(f"申报关系“{item}”的终止日期{bad_end}")
            elif ended_on is not None and code not in WINDOW_GROUNDS:
                problems.append(
                    f"申报关系“{item}”：只有劳动关系、董事监事、控股股东（实际控制人）可填写终止日期"
                )
            else:
                parsed_rel.append((org.strip(), code, ended_on))
        if problems:
            errors.append((number, "；".join(problems)))
            continue
        seen[id_number] = number
        good.append(ExpertRow(number, name, id_number, spec_list, employer, phone, parsed_rel))
    return good, errors


# A pool is a few thousand experts; the sheet of 20,000 rows unpacks to ~10 MB. The limit keeps a
# crafted file from filling memory (the sheet is read in full to see merged cells).
MAX_SHEET_UNPACKED = 64 * 1024 * 1024
MAX_ROWS = 20_000


def read_workbook(upload: Any) -> list[tuple[int, list[Any]]]:
    """Rows of the pool sheet (the open, visible one) under a heading row that names the COLUMNS (any
    order); a merged cell counts in every row it covers, numbers and dates read as the user sees them."""
    from fazhi.core import spreadsheets

    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    wb = spreadsheets.open_workbook(
        data, name=getattr(upload, "name", "") or "", read_only=False, max_unpacked=MAX_SHEET_UNPACKED
    )
    ws = spreadsheets.data_sheet(wb)
    seen = spreadsheets.merged_reader(ws)
    rows = []
    for number, cells in enumerate(ws.iter_rows(), start=1):
        if number > MAX_ROWS + 1:
            raise ValidationFailed(f"一次最多导入 {MAX_ROWS} 名专家，请拆分文件后分批导入。")
        rows.append([seen(c.row, c.column, c.value) if hasattr(c, "row") else c.value for c in cells])
    wb.close()
    if not rows or not any(v not in (None, "") for v in rows[0]):
        raise ValidationFailed(f"Excel 文件的第一个工作表是空的，第 1 行应为表头：{'、'.join(COLUMNS)}。")
    heading = [spreadsheets.cell_text(c) for c in rows[0]]
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
    # In bulk: a pool of 10,000 experts imports in seconds instead of one round trip per row.
    fields = ("pool", "name", "specialties", "employer", "phone")
    with audit.suspended():
        existing = {e.id_number: e for e in Expert.objects.filter(id_number__in=[r.id_number for r in good])}
        new: list[Expert] = []
        for r in good:
            values = {"pool": pool, "name": r.name, "specialties": r.specialties, "employer": r.employer,
                      "phone": r.phone}  # fmt: skip
            expert = existing.get(r.id_number)
            if expert is None:
                new.append(Expert(id_number=r.id_number, **values))
            else:
                for key, value in values.items():
                    setattr(expert, key, value)
        try:
            with transaction.atomic():
                Expert.objects.bulk_create(new, batch_size=500)
        except IntegrityError:  # another import added one of these experts a moment ago
            raise Conflict("另一次导入刚刚写入了其中部分专家，本次未导入任何专家，请重新导入。") from None
        Expert.objects.bulk_update(list(existing.values()), fields, batch_size=500)
        result.created, result.updated = len(new), len(existing)
        by_id = {e.id_number: e for e in [*new, *existing.values()]}
        if new and by_id[new[0].id_number].pk is None:  # backends that do not return ids on bulk insert
            by_id.update(
                Expert.objects.filter(id_number__in=[e.id_number for e in new]).in_bulk(
                    field_name="id_number"
                )
            )
        ExpertRelation.objects.filter(expert__in=list(existing.values())).delete()
        ExpertRelation.objects.bulk_create(
            [
                ExpertRelation(expert=by_id[r.id_number], organisation=org, ground=code, ended_on=ended_on)
                for r in good
                for org, code, ended_on in r.relations
            ],
            batch_size=500,
        )
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
    relations: list[tuple[str, ...]] | None = None,
) -> Expert:
    """Add one expert by hand (same checks as the import); a relation is (organisation, ground) or
    (organisation, ground, ended on as 年-月-日)."""
    require_manager(actor)
    rel_text = "；".join(":".join(str(part) for part in rel) for rel in relations or [])
    good, errors = parse_rows([(1, [name, id_number, "、".join(specialties), employer, phone, rel_text])])
    if errors:
        raise ValidationFailed(errors[0][1] + "。")
    r = good[0]
    taken = "该身份证号的专家已在库中。"
    if Expert.objects.filter(id_number=r.id_number).exists():
        raise ValidationFailed(taken)
    expert = _create_once(
        Expert,
        taken,
        pool=pool,
        name=r.name,
        id_number=r.id_number,
        specialties=r.specialties,
        employer=r.employer,
        phone=r.phone,
    )
    for org, code, ended_on in r.relations:
        ExpertRelation.objects.create(expert=expert, organisation=org, ground=code, ended_on=ended_on)
    return expert


@transaction.atomic
def create_expert_account(*, expert: Expert, actor: Any, username: str, password: str) -> Any:
    """Create the 评标专家 login linked to this expert (used for the scoring page)."""
    from fazhi.core.models import User

    require_manager(actor)
    username = username.strip()
    # Locked: two requests at once would each create an account and the expert keep only one of them.
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    if expert.user is not None:
        raise Conflict(f"专家{expert.name}已有账号 {expert.user.username}。")
    if not re.match(r"^[\w.@+-]{3,150}$", username):
        raise ValidationFailed("账号只能包含字母、数字和 . @ + - _，长度 3—150。")
    taken = f"账号“{username}”已被使用。"
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(taken)
    if len(password) < 8:
        raise ValidationFailed("密码至少 8 位。")
    user = User(username=username, display_name=expert.name, department=expert.employer or "评标专家")
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationFailed(taken) from None
    expert.user = user
    expert.save()
    # Seats drawn before the account existed are linked now, so the expert can score them.
    CommitteeMember.objects.filter(expert=expert, active=True, user__isnull=True).update(user=user)
    return user
