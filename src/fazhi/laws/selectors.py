"""法规库 read queries."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import ExtractYear

from fazhi.core.errors import NotFound
from fazhi.laws.models import Article, Law, LawVersion, Level, Status

# Which of a law's versions stands for it, the in-force ones taken first: the latest, the newest, the highest
# 版本序号 (and the last added, so that the choice never depends on how the database breaks a tie).
CURRENT_ORDER = ("-is_latest", "-publish_date", "-version_index", "-pk")


def current_version(law: Law) -> LawVersion | None:
    """The version users read by default: the latest in-force one, else the newest."""
    versions = law.versions.all()
    in_force = versions.filter(status=Status.IN_FORCE).order_by(*CURRENT_ORDER)
    return in_force.first() or versions.order_by(*CURRENT_ORDER).first()


def current_version_ids(law_ids: Iterable[int]) -> dict[int, int]:
    """`current_version` of many laws in one query: law id → version id (laws without versions left out)."""
    any_version: dict[int, int] = {}
    in_force: dict[int, int] = {}
    rows = (
        LawVersion.objects.filter(law_id__in=set(law_ids))
        .order_by(*CURRENT_ORDER)
        .values_list("law_id", "pk", "status")
    )
    for law_id, pk, status in rows:
        any_version.setdefault(law_id, pk)
        if status == Status.IN_FORCE:
            in_force.setdefault(law_id, pk)
    return {law_id: in_force.get(law_id, pk) for law_id, pk in any_version.items()}


def current_versions_for_norm_title(norm_title: str) -> QuerySet[LawVersion]:
    """Latest versions of every law sharing a normalised title (the parts of 民法典)."""
    return LawVersion.objects.filter(law__norm_title=norm_title, is_latest=True)


def get_law(law_id: int) -> Law:
    pk = parse_id(law_id)
    law = Law.objects.filter(pk=pk).first() if pk is not None else None
    if law is None:
        raise NotFound("没有找到这部法规。")
    return law


def get_version(law: Law, version_id: object | None) -> LawVersion:
    """The requested version of a law (its current version when none is asked for)."""
    if version_id in (None, ""):
        version = current_version(law)
        if version is None:
            raise NotFound("这部法规还没有任何文本版本。")
        return version
    pk = parse_id(version_id)
    version = law.versions.filter(pk=pk).first() if pk is not None else None
    if version is None:
        raise NotFound("这部法规没有所选的版本。")
    return version


MAX_NUMBER = 100_000  # no law has this many articles; a larger number in a URL is simply not found


def versions_of(law: Law) -> list[LawVersion]:
    return list(law.versions.order_by("-publish_date", "-version_index").defer("text"))


def articles_of(version: LawVersion) -> list[Article]:
    return list(version.articles.order_by("ordinal"))


def get_article(law: Law, number: int, suffix: int = 0, version: LawVersion | None = None) -> Article:
    version = version or current_version(law)
    article = None
    if version is not None and 0 <= number < MAX_NUMBER and 0 <= suffix < MAX_NUMBER:
        article = version.articles.filter(number=number, suffix=suffix).first()
    if article is None:
        raise NotFound("这部法规的当前版本中没有这一条。")
    return article


def toc(articles: list[Article]) -> list[dict]:
    """Table of contents: headings (编/章/节) in order with the first article under each."""
    entries: list[dict] = []
    last = ("", "", "")
    for art in articles:
        path = (art.part, art.chapter, art.section)
        for depth in range(3):
            # A new 编 restarts its 章 and 节, so compare the whole prefix.
            if path[depth] and path[: depth + 1] != last[: depth + 1]:
                entries.append({"depth": depth, "title": path[depth], "anchor": art.anchor})
        last = path
    return entries


YEAR = re.compile(r"^[0-9]{4}$")
_ASCII_ID = re.compile(r"^[0-9]{1,18}$")  # a database id: ASCII digits that fit a 64-bit integer


def parse_id(value: object) -> int | None:
    """An id typed into a URL parameter, or None when it is not one ("²" and "٣" pass str.isdigit()
    but are no id; a 20-digit number overflows the database integer)."""
    text = str(value).strip()
    return int(text) if _ASCII_ID.match(text) else None


# The list's orders (`?sort=`): by 效力层级 (the default without a title filter), by 公布日期, by 标题.
SORTS = {"level": "按效力层级", "date": "按公布日期", "title": "按标题"}
# 效力层级 from the highest down (宪法 → 规范性文件); a level not listed here sorts last.
LEVEL_RANK = [
    Level.CONSTITUTION,
    Level.LAW,
    Level.ADMIN_REGULATION,
    Level.JUDICIAL_INTERPRETATION,
    Level.DEPARTMENT_RULE,
    Level.LOCAL_REGULATION,
    Level.NORMATIVE_DOCUMENT,
]


def list_filters(
    *, level: str = "", status: str = "", issuer: str = "", year: str = "", q: str = "", sort: str = ""
) -> tuple[dict[str, str], list[str]]:
    """The usable list filters (level and status as codes) and a Chinese message per ignored value.

    `sort` is one of SORTS, or empty for the default order (see `law_list`)."""
    errors: list[str] = []
    clean = {"level": "", "status": "", "issuer": issuer, "year": "", "q": q, "sort": ""}
    for name, value, choices, label in (
        ("level", level, Level, "效力级别"),
        ("status", status, Status, "效力状态"),
    ):
        if not value:
            continue
        code = {str(text): code for code, text in choices.choices}.get(value, value)
        if code in choices.values:
            clean[name] = code
        else:
            allowed = "、".join(str(text) for _, text in choices.choices)
            errors.append(f"{label}“{value}”无效，可选：{allowed}。")
    if year:
        if YEAR.match(year) and 1 <= int(year) <= 9999:
            clean["year"] = year
        else:
            errors.append(f"年份“{year}”无效，应为四位数字年份，如 2020。")
    if sort:
        code = {label: code for code, label in SORTS.items()}.get(sort, sort)
        if code in SORTS:
            clean["sort"] = code
        else:
            errors.append(f"排序“{sort[:20]}”无效，可选：{'、'.join(SORTS.values())}。")
    return clean, errors


def current_list_versions() -> QuerySet[LawVersion]:
    """One row per law: the version its page shows (`current_version`), so that the list tells the status
    and date the law's page tells — a law whose newest text is 尚未生效 is still listed as 有效."""
    in_force_first = Case(When(status=Status.IN_FORCE, then=Value(0)), default=Value(1))
    best = (
        LawVersion.objects.filter(law=OuterRef("law"))
        .order_by(in_force_first, *CURRENT_ORDER)
        .values("pk")[:1]
    )
    return LawVersion.objects.filter(pk=Subquery(best))


def law_list(
    *,
    level: str = "",
    status: str = "",
    issuer: str = "",
    year: str = "",
    q: str = "",
    sort: str = "",
) -> tuple[QuerySet[LawVersion], dict[str, list[tuple[str, str, int]]]]:
    """Current (latest) versions matching the filters, and facet counts over the other filters.

    Each facet's counts apply every other active filter (the title filter `q` too), so a count is what its
    link lists. Order: `sort` (see SORTS); by default 效力层级 then newest first, or, with a title filter,
    by title as before. The values must have gone through `list_filters` (an unusable value there is a
    message, not a 500)."""
    base = current_list_versions().select_related("law").defer("text")
    filters = {
        "level": Q(law__level=level) if level else Q(),
        "status": Q(status=status) if status else Q(),
        "issuer": Q(law__issuer=issuer) if issuer else Q(),
        "year": Q(publish_date__year=int(year)) if YEAR.match(year) and int(year) >= 1 else Q(),
        "q": Q(law__title__icontains=q) if q else Q(),
    }

    def others(skip: str) -> Q:
        out = Q()
        for name, cond in filters.items():
            if name != skip:
                out &= cond
        return out

    facets: dict[str, list[tuple[str, str, int]]] = {}
    level_labels = dict(Level.choices)
    level_rows = base.filter(others("level")).values_list("law__level").annotate(n=Count("id")).order_by("-n")
    facets["level"] = [(v, str(level_labels.get(v, v)), n) for v, n in level_rows]
    status_labels = dict(Status.choices)
    status_rows = base.filter(others("status")).values_list("status").annotate(n=Count("id")).order_by("-n")
    facets["status"] = [(v, str(status_labels.get(v, v)), n) for v, n in status_rows]
    issuer_rows = (
        base.filter(others("issuer"))
        .exclude(law__issuer="")
        .values_list("law__issuer")
        .annotate(n=Count("id"))
        .order_by("-n")[:20]
    )
    facets["issuer"] = [(v, v, n) for v, n in issuer_rows]
    year_rows = (
        base.filter(others("year"))
        .exclude(publish_date=None)
        .annotate(y=ExtractYear("publish_date"))
        .values_list("y")
        .annotate(n=Count("id"))
        .order_by("-y")[:30]
    )
    facets["year"] = [(str(y), str(y), n) for y, n in year_rows]
    qs = base.filter(others("")).order_by(*_list_order(sort or ("title" if q else "level")))
    # A chosen value missing from its facet (an issuer or year past the ones listed, or one no law matches
    # under the other filters) is listed too, with its count, so that the page shows what it lists.
    chosen = {"level": level, "status": status, "issuer": issuer, "year": year}
    labels = {"level": level_labels, "status": status_labels}
    missing = [(k, v) for k, v in chosen.items() if v and v not in {value for value, _, _ in facets[k]}]
    total = qs.count() if missing else 0  # every filter applied: what the chosen value's group lists
    for name, value in missing:
        facets[name].append((value, str(labels.get(name, {}).get(value, value)), total))
    facets["year"].sort(key=lambda row: int(row[0]), reverse=True)
    return qs, facets


def _list_order(sort: str) -> list:
    """ORDER BY of the law list; the id last, so that pages never repeat or skip a law."""
    newest = F("publish_date").desc(nulls_last=True)
    if sort == "title":
        return ["law__title", "pk"]
    if sort == "date":
        return [newest, "law__title", "pk"]
    rank = Case(
        *(When(law__level=level, then=Value(i)) for i, level in enumerate(LEVEL_RANK)),
        default=Value(len(LEVEL_RANK)),
        output_field=IntegerField(),
    )
    return [rank, newest, "law__title", "pk"]


def counts() -> dict[str, int]:
    return {"laws": Law.objects.count(), "articles": Article.objects.count()}
