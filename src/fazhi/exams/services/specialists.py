"""法律专业人员: the staff in post holding a qualification valid on a date (selectors.valid_qualifications),
counted per department and per kind, and the Excel export of that list.

Every department of the staff registry is listed, those without a specialist too: they are what the
bureau's report asks to fix.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.utils import timezone

from fazhi.exams import selectors
from fazhi.exams.models import Qualification, QualificationKind, StaffProfile


@dataclass
class DepartmentRow:
    department: str
    staff: int = 0  # people in post
    specialists: int = 0  # of them, people holding a valid qualification
    by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(QualificationKind.values, 0))

    @property
    def kind_counts(self) -> list[int]:
        """The counts in the order of QualificationKind (the columns of the page and the export)."""
        return [self.by_kind[k] for k in QualificationKind.values]


@dataclass
class Specialist:
    profile: StaffProfile
    qualifications: list[Qualification]
    department: str = ""  # on the statistics date (the registry's dated history)


@dataclass
class SpecialistList:
    on: dt.date
    department: str
    rows: list[DepartmentRow]
    total: DepartmentRow
    people: list[Specialist]
    departments_then: list[str] = field(default_factory=list)  # of everyone in post on the date


def specialists(*, on: dt.date | None = None, department: str = "") -> SpecialistList:
    """Legal specialists on the date (default today), for one department or the whole bureau."""
    on = on or timezone.localdate()
    department = (department or "").strip()
    # In post on the date, in the department they were in then, by the registry's dated history: read once
    # (the qualifications are matched to it here, not by a second reading inside their query).
    in_post = dict(selectors.staff_in_post(on).values_list("pk", "department_then"))
    departments_then = sorted(set(in_post.values()))
    if department:
        in_post = {pk: name for pk, name in in_post.items() if name == department}
    rows: dict[str, DepartmentRow] = {}
    for name in in_post.values():
        rows.setdefault(name, DepartmentRow(name)).staff += 1
    valid = selectors.qualifications_valid_on(on)
    if department:
        valid = valid.filter(profile_id__in=list(in_post))
    people: dict[int, Specialist] = {}
    for q in valid:
        name = in_post.get(q.profile_id)
        if name is None:
            continue  # not in post on the date, or in another department then
        row = rows[name]
        row.by_kind[q.kind] += 1
        if q.profile_id not in people:
            row.specialists += 1
            people[q.profile_id] = Specialist(q.profile, [], name)
        people[q.profile_id].qualifications.append(q)
    ordered = sorted(rows.values(), key=lambda r: r.department)
    total = DepartmentRow("合计", sum(r.staff for r in ordered), sum(r.specialists for r in ordered))
    for r in ordered:
        for kind, n in r.by_kind.items():
            total.by_kind[kind] += n
    listed = sorted(people.values(), key=lambda s: (s.department, s.profile.user.username))  # as of the date
    return SpecialistList(on, department, ordered, total, listed, departments_then)


SUMMARY_HEADERS = ["科室/单位", "在岗人员", "法律专业人员", *QualificationKind.labels]
HEADERS = [
    "姓名", "账号", "科室/单位", "岗位", "资格类型", "证书编号/聘任文号", "取得日期", "有效期至",
    "发证/聘任机关", "备注",
]  # fmt: skip


def export_filename(found: SpecialistList) -> str:
    return f"legal-specialists-{found.on:%Y-%m-%d}.xlsx"


def export_xlsx(found: SpecialistList) -> bytes:
    """Two sheets: 按科室汇总 (the counts) and 法律专业人员 (each valid qualification), the date and the
    department in their first rows."""
    from openpyxl import Workbook

    from fazhi.core.spreadsheets import safe_row, sheet_text

    scope = found.department or "全局"
    title = f"{scope} 法律专业人员（持有效法律专业资格的在岗人员，统计日期 {found.on:%Y-%m-%d}）"
    wb = Workbook()
    summary = wb.active
    summary.title = sheet_text("按科室汇总", title=True)
    summary.append(safe_row(summary, [title]))
    summary.append(SUMMARY_HEADERS)
    for r in [*found.rows, found.total]:
        summary.append(safe_row(summary, [r.department, r.staff, r.specialists, *r.kind_counts]))
    listed = wb.create_sheet(sheet_text("法律专业人员", title=True))
    listed.append(safe_row(listed, [title]))
    listed.append(HEADERS)
    for s in found.people:
        user = s.profile.user
        for q in s.qualifications:
            listed.append(
                safe_row(
                    listed,
                    [
                        getattr(user, "display_name", "") or user.username,
                        user.username,
                        s.department,
                        s.profile.post,
                        q.get_kind_display(),
                        q.number,
                        q.obtained_on.isoformat(),
                        q.expires_on.isoformat() if q.expires_on else "长期",
                        q.issuer,
                        q.note,
                    ],
                )
            )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
