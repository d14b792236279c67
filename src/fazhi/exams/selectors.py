"""学法考试 read queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from fazhi.core import roles
from fazhi.exams.models import (
    Attempt,
    Exam,
    Qualification,
    QualificationKind,
    Question,
    StaffPostChange,
    StaffProfile,
)

ADMIN_ROLES = (roles.EXAM_ADMIN, roles.SYSADMIN)  # who manages exams, the question bank and their results
# Who sees 执法人员占比, the lists of people behind it and the 应考尽考 list.
DASHBOARD_ROLES = (roles.EXAM_ADMIN, roles.LEADER, roles.SUPERVISOR, roles.SYSADMIN)


def open_exams_for(user: Any) -> QuerySet[Exam]:
    """Published exams whose window is open now and that the user may take."""
    now = timezone.now()
    qs = Exam.objects.filter(is_published=True, opens_at__lte=now, closes_at__gt=now)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.has_role(roles.STAFF_MEMBER):
        return qs.filter(Q(open_to_staff=True) | Q(eligible_users=user)).distinct()
    return qs.filter(eligible_users=user).distinct()


def paper_questions(attempt: Attempt) -> list[tuple[dict[str, Any], Question, Question | None]]:
    """(paper item, question, case question or None) in paper order; never includes answer keys."""
    ids = attempt.question_ids()
    case_ids = {int(i["case_id"]) for i in attempt.paper if i.get("case_id")}
    found = Question.objects.in_bulk(ids + list(case_ids))
    out = []
    for item in attempt.paper:
        case = found.get(int(item["case_id"])) if item.get("case_id") else None
        out.append((item, found[int(item["question_id"])], case))
    return out


def department_of(user: Any) -> str:
    """The department shown for a person in the exams app: the staff registry (人员登记) when the person is
    registered, as the dashboard and the annual report count them; otherwise the account's own field."""
    profile = getattr(user, "staff_profile", None)  # a missing profile raises, which getattr turns into None
    return profile.department if profile else (getattr(user, "department", "") or "")


def department_shown(then: str, user: Any) -> str:
    """The department shown on a record of a past event (an exam sat, its result): `then`, the one the person
    was in on the event's date (department_at; "" for an account outside the registry, which shows its own
    field), followed by today's when the person has moved since — "综合科（现：法规科）" — or by （现已不在岗）
    when the registry has the person out of post today (its department is then only the last one held),
    on the pages and in the exports alike."""
    now = department_of(user)
    then = then or now
    profile = getattr(user, "staff_profile", None)
    if profile is not None and not profile.is_active:
        return f"{then}（现已不在岗）"
    return f"{then}（现：{now}）" if now and then != now else then


def public_name(user: Any) -> str:
    """A leaderboard name that does not expose the full account name."""
    name = getattr(user, "display_name", "") or user.username
    return name[0] + "*" * max(1, len(name) - 1) if len(name) > 1 else name


def open_rounds() -> list[Any]:
    from fazhi.exams.models import CompetitionRound

    now = timezone.now()
    return list(
        CompetitionRound.objects.filter(competition__is_published=True, opens_at__lte=now, closes_at__gt=now)
        .select_related("competition")
        .order_by("closes_at")
    )


# --- 人员登记 on a date --------------------------------------------------------------------------------


def _in_post_on(on: dt.date, *, enforcement_post: bool = False, via: str = "") -> tuple[dict[str, Any], Q]:
    """The annotations and the filter of staff_in_post, for a query of StaffProfile (`via` "") or of a model
    reaching the person through `via` (e.g. "profile__" for Qualification): the staff registry's dated
    history read once per row, in the same query."""
    person = OuterRef(via.removesuffix("__") + "_id") if via else OuterRef("pk")
    entry = StaffPostChange.objects.filter(profile=person, effective_on__lte=on).order_by(
        "-effective_on", "-pk"
    )
    annotations = {
        "has_history": Exists(StaffPostChange.objects.filter(profile=person)),
        "active_then": Subquery(entry.values("is_active")[:1]),
        "enforcement_then": Subquery(entry.values("enforcement_post")[:1]),
        # The department on the date (a transfer is an entry); the registry's own where none is recorded.
        "department_then": Coalesce(
            NullIf(Subquery(entry.values("department")[:1]), Value("")), F(f"{via}department")
        ),
    }
    recorded = Q(has_history=True, active_then=True)
    unrecorded = Q(has_history=False, **{f"{via}is_active": True})
    if enforcement_post:
        recorded &= Q(enforcement_then=True)
        unrecorded &= Q(**{f"{via}enforcement_post": True}) & (
            Q(**{f"{via}post_since__isnull": True}) | Q(**{f"{via}post_since__lte": on})
        )
    return annotations, recorded | unrecorded


def staff_in_post(on: dt.date, *, enforcement_post: bool = False) -> QuerySet[Any]:
    """The staff registry as it stood on the date: the people in post (在岗) that day, or with
    `enforcement_post` only those in an enforcement post (执法岗位), by each person's dated history
    (StaffPostChange: the latest entry on or before the date; a person is not counted before the first).
    Each row carries `department_then`, the department the person was in on the date.

    A person without any history is a row written outside services.staff (the upgrade gave every existing
    person one): counted by the registry's current flags as before the history existed — in an enforcement
    post from the date of the current post (post_since) when it is filled in."""
    annotations, in_post = _in_post_on(on, enforcement_post=enforcement_post)
    return StaffProfile.objects.annotate(**annotations).filter(in_post)


def department_then(profile: StaffProfile) -> str:
    """The department of a person as staff_in_post found it for its date (the registry's own otherwise)."""
    return str(getattr(profile, "department_then", None) or profile.department)


def department_at(user: str, day: str) -> Coalesce:
    """An expression for a query of records that name a person (`user`: the path to the account, e.g. "user"
    or "holder") and a date (`day`: a date field or annotation): the department the person was in on that
    date, by the staff registry's dated history; the registry's current department where nothing is recorded
    for that date; "" for an account outside the registry."""
    entry = StaffPostChange.objects.filter(profile__user=OuterRef(user), effective_on__lte=OuterRef(day))
    return Coalesce(
        NullIf(Subquery(entry.order_by("-effective_on", "-pk").values("department")[:1]), Value("")),
        F(f"{user}__staff_profile__department"),
        Value(""),
    )


FORMER = "（原科室）"  # a department of the date in which nobody is registered in post today


def department_choices(
    on: dt.date, *, enforcement_post: bool = False, then: Iterable[str] | None = None, selected: str = ""
) -> list[tuple[str, str]]:
    """The choices (value, label) of a department filter for a statistics date: the departments people were
    in on that date (by the registry's dated history: `then` when the caller has them already) and those of
    today's registry, sorted. A department of the date in which nobody is in post today is offered marked
    （原科室）, and so is the department `selected` (typed into the address) when it is neither: the page
    shows an empty list for it, and the filter shows what was chosen."""
    today = StaffProfile.objects.filter(is_active=True)
    if enforcement_post:
        today = today.filter(enforcement_post=True)
    current = set(today.order_by().values_list("department", flat=True).distinct())
    if then is None:
        then = staff_in_post(on, enforcement_post=enforcement_post).values_list("department_then", flat=True)
    names = {n for n in [*current, *then, (selected or "").strip()] if n}
    if names - current:
        # Marked only when nobody in post is registered there now (not merely no one in an enforcement post).
        current |= set(
            StaffProfile.objects.filter(is_active=True, department__in=names - current)
            .order_by()
            .values_list("department", flat=True)
            .distinct()
        )
    return [(n, n if n in current else f"{n}{FORMER}") for n in sorted(names)]


# --- 法律专业资格 ---------------------------------------------------------------------------------------


def qualifications(*, department: str = "", kind: str = "") -> QuerySet[Qualification]:
    """The register, for one department (the staff registry's, exactly) and one kind, or all of them."""
    qs = Qualification.objects.select_related("profile__user").order_by(
        "profile__department", "profile__user__username", "kind", "obtained_on", "pk"
    )
    if department:
        qs = qs.filter(profile__department=department)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def qualifications_valid_on(on: dt.date) -> QuerySet[Qualification]:
    """Qualifications valid on the date (obtained by then, not expired), whoever holds them."""
    return (
        qualifications()
        .filter(obtained_on__lte=on)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
    )


def valid_qualifications(
    on: dt.date, unit: str | None = None, *, units: Iterable[str] | None = None
) -> QuerySet[Any]:
    """Qualifications valid on the date (obtained by then, not expired) of staff in post on that date
    (人员登记 在岗, by its dated history: staff_in_post), for the department named `unit` exactly
    (surrounding blanks ignored; "采购" is not "政府采购监督管理科", as the annual report matches units), for any
    of the department names `units` (the annual report's unit), or the whole bureau. Each row carries
    `department_then`, the holder's department on the date: one query, the history read in it once."""
    annotations, in_post = _in_post_on(on, via="profile__")
    qs: QuerySet[Any] = qualifications_valid_on(on).annotate(**annotations).filter(in_post)
    unit = (unit or "").strip()
    if unit:
        qs = qs.filter(department_then=unit)  # the department the person was in on the date
    if units is not None:
        qs = qs.filter(department_then__in=list(units))
    return qs.order_by("department_then", "profile__user__username", "kind", "obtained_on", "pk")


@dataclass
class QualificationCounts:
    """Valid qualifications on a date: how many of each kind, and how many people hold at least one."""

    on: dt.date
    by_kind: dict[str, int]  # every kind, in the order of QualificationKind
    people: int

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    def labelled(self) -> list[tuple[str, str, int]]:
        """(kind, its name, count) for every kind."""
        return [(k, QualificationKind(k).label, n) for k, n in self.by_kind.items()]


def qualification_counts(on: dt.date, unit: str | None = None) -> QualificationCounts:
    """Counts per kind of the qualifications valid on the date (for the annual report and the register page)."""
    by_kind = dict.fromkeys(QualificationKind.values, 0)
    people: set[int] = set()
    for kind, profile_id in valid_qualifications(on, unit).values_list("kind", "profile_id"):
        by_kind[kind] += 1
        people.add(profile_id)
    return QualificationCounts(on=on, by_kind=by_kind, people=len(people))
