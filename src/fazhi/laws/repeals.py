"""废止条款: a law in the library that says another is repealed ("…《个体工商户条例》同时废止") makes it 已废止.

The source data marks most laws "有效" with the note that a later repeal was not verified, and a newer
law's closing article is often the only place the library itself says an older one ended: 《法规规章备案审查
条例》第二十六条 repeals 《法规规章备案条例》 from 2024-11-01, 《中华人民共和国学位法》 the 学位条例, and so on.

`find()` reads every in-force (or not yet in force) latest version's articles for the drafting formula
"《X》同时废止" and returns what each clause repeals, from which day:

- the repealed law is named by its exact title (with or without 中华人民共和国); a title that only resembles
  one is not taken, nor the law's own earlier text ("1950年…公布的《中华人民共和国工会法》同时废止");
- a partial repeal is not a repeal of the law: "《X》第十条同时废止", "《X》中关于反倾销的规定同时废止";
- the day is the commencement the same article states ("本法自2025年1月1日起施行"), else the one the text
  states elsewhere, else the version's 施行日期, else its 公布日期 when it takes effect on publication; with
  none of these the clause is left alone;
- a repealed law whose current text was published after that day was re-enacted later and is left alone.

`apply(on)` makes each such law's current version 已废止 once its day has come, with the clause as 状态依据
("依据《法规规章备案审查条例》第二十六条的规定，自2024年11月1日起废止"), audited and re-indexed. Only a version
whose status is still the import's unverified 有效 is changed: a basis an editor gave is never overwritten.
The import runs it after loading, and the daily job `laws.repeals` runs it again, so a repeal set for a
later day takes effect on that day. Applying twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from fazhi.core.dates import cn_date
from fazhi.laws.basis import UNVERIFIED
from fazhi.laws.models import Article, Law, LawVersion, Status

FORMULA = "同时废止"
_CLAUSE = re.compile(r"[^。；;\n]*同时废止")
# 《…》 with titles nested inside kept whole: 《浙江省实施〈中华人民共和国水法〉办法》.
_TITLE = re.compile(r"《((?:[^《》]|《[^《》]*》)+)》")
# What follows a title when only part of it is repealed.
_PARTIAL = re.compile(
    r"\s*(?:（[^）]*）\s*)?(?:第[一二三四五六七八九十百零〇\d]+条|中(?:关于|有关)|有关|关于)"
)
_COMMENCES = re.compile(r"自\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日起?施行")
_ON_PUBLICATION = re.compile(r"自(?:公布|发布)之日起施行")
PREFIX = "中华人民共和国"


@dataclass(frozen=True)
class Repeal:
    """`article` (of an in-force or not yet in-force version) repeals `law` from `on`."""

    law_id: int
    law_title: str
    article: Article
    on: dt.date

    @property
    def basis(self) -> str:
        return f"依据{quoted(self.article.law.title)}{self.article.label}的规定，自{cn_date(self.on)}起废止"


def quoted(title: str) -> str:
    """《title》, a title quoted inside it written with 〈〉 as the drafting style has it."""
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"


def repealed_titles(clause: str) -> list[str]:
    """The titles a "…同时废止" clause repeals whole (partial repeals left out), as written."""
    titles = []
    for m in _TITLE.finditer(clause):
        if _PARTIAL.match(clause, m.end()):
            continue
        titles.append(m.group(1).replace("<", "〈").replace(">", "〉").replace(" ", ""))
    return titles


def _day(m: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def commencement(article_text: str, version: LawVersion) -> dt.date | None:
    """The day a version's repeal clause takes effect (see the module docstring), or None."""
    m = _COMMENCES.search(article_text)
    if m:
        return _day(m)
    found = list(_COMMENCES.finditer(version.text))
    if found:
        return _day(found[-1])  # the 施行 article closes the text
    if version.effective_date:
        return version.effective_date
    if _ON_PUBLICATION.search(article_text) or _ON_PUBLICATION.search(version.text):
        return version.publish_date
    return None


def _laws_by_title(titles: Iterable[str]) -> dict[str, Law]:
    wanted = set(titles)
    names = wanted | {PREFIX + t for t in wanted if not t.startswith(PREFIX)}
    by_title: dict[str, list[Law]] = {}
    for law in Law.objects.filter(title__in=names).order_by("region", "pk"):
        by_title.setdefault(law.title, []).append(law)
    found = {}
    for t in wanted:
        laws = by_title.get(t) or by_title.get(PREFIX + t) or []
        if laws:
            found[t] = laws[0]  # a national law (no region) before a local one of the same title
    return found


def find() -> list[Repeal]:
    """Every whole-law repeal the library's in-force texts state, with its day (see the module docstring)."""
    articles = list(
        Article.objects.filter(
            version__is_latest=True,
            version__status__in=[Status.IN_FORCE, Status.NOT_YET_IN_FORCE],
            text__contains=FORMULA,
        )
        .select_related("version", "law")
        .order_by("law_id", "ordinal")
    )
    clauses: list[tuple[Article, str]] = []
    for article in articles:
        for m in _CLAUSE.finditer(article.text):
            clauses += [(article, title) for title in repealed_titles(m.group(0))]
    laws = _laws_by_title(title for _, title in clauses)
    repeals: dict[int, Repeal] = {}
    days: dict[int, dt.date | None] = {}  # per article: one clause may repeal several laws
    for article, title in clauses:
        law = laws.get(title)
        if law is None or law.pk == article.law_id:
            continue
        if article.pk not in days:
            days[article.pk] = commencement(article.text, article.version)
        on = days[article.pk]
        if on is None:
            continue
        known = repeals.get(law.pk)
        if known is None or on < known.on:  # repealed twice: the earlier day counts
            repeals[law.pk] = Repeal(law_id=law.pk, law_title=law.title, article=article, on=on)
    return sorted(repeals.values(), key=lambda r: (r.on, r.law_title))


def apply(on: dt.date | None = None) -> list[Repeal]:
    """Make each law repealed by `find()` on or before `on` (today) 已废止; returns the repeals applied."""
    from fazhi.laws import services

    day = on or timezone.localdate()
    due = [r for r in find() if r.on <= day]
    current = {
        v.law_id: v
        for v in LawVersion.objects.filter(law_id__in=[r.law_id for r in due], is_latest=True).only(
            "pk", "law_id", "status", "status_basis", "publish_date"
        )
    }
    applied = []
    for repeal in due:
        version = current.get(repeal.law_id)
        if (
            version is None
            or version.status != Status.IN_FORCE
            or version.status_basis not in ("", UNVERIFIED)
        ):
            continue
        if version.publish_date and version.publish_date > repeal.on:
            continue  # re-enacted after the clause took effect
        services.follow_repeal_clause(version_id=version.pk, basis=repeal.basis)
        applied.append(repeal)
    return applied


def run_daily() -> int:
    """The periodic job: repeals whose day has come (how many)."""
    return len(apply())
