"""条文引用索引: which articles cite which (the 「被引用」 list of an article page), built once from the texts.

Contract:
- `sync()` brings the index up to date and is idempotent: the articles of every latest version not yet
  scanned are scanned (their citations found with `citations.find_citations` and resolved as the page
  links resolve them), and the rows of versions that are no longer the latest are dropped. An
  interrupted run keeps what it finished (one transaction per batch). `rebuild=True` starts from empty.
- `refresh_versions(ids)` does the same for a few versions inside the caller's transaction (a law added
  or published through the services).
- `resolve_new_laws(ids)` gives a law that has just arrived the citations that named it before it existed
  (kept unresolved, by normalised title), without rescanning any text.
- `cited_by(article)` → the citing articles, in-force texts first, and how many there are; one indexed
  query each.

What counts: a title with 第N条 (《预算法》第十条, 劳动合同法第四十七条, each article of a list) and 本法/
本条例… 第N条 of the text itself. A bare 第N条 without either is not indexed: in a 修改决定 it names the
amended law, not the decision, so it is too uncertain to list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When

from fazhi.core.batches import chunks
from fazhi.laws import citations
from fazhi.laws.models import Article, ArticleCitation, CitationScan, Law, LawVersion, Status

BATCH_VERSIONS = 200  # versions scanned per transaction
MAX_NUMBER = 2_147_483_647  # the number columns hold no more


@dataclass
class SyncReport:
    scanned: int = 0  # versions scanned
    dropped: int = 0  # versions whose rows were dropped (no longer latest)
    citations: int = 0  # rows written


def sync(*, rebuild: bool = False) -> SyncReport:
    """Scan every latest version not yet in the index; drop the rows of versions no longer latest."""
    report = SyncReport()
    if rebuild:
        with transaction.atomic():
            ArticleCitation.objects.all().delete()
            CitationScan.objects.all().delete()
    latest = set(LawVersion.objects.filter(is_latest=True).values_list("pk", flat=True))
    scanned = set(CitationScan.objects.values_list("version_id", flat=True))
    gone = sorted(scanned - latest)
    for chunk in chunks(gone, 500):
        with transaction.atomic():
            _drop(chunk)
    report.dropped = len(gone)
    todo = sorted(latest - scanned)
    for chunk in chunks(todo, BATCH_VERSIONS):
        with transaction.atomic():
            report.citations += _scan(chunk)
        report.scanned += len(chunk)
    return report


def refresh_versions(version_ids: Iterable[int]) -> int:
    """Rescan the given versions that are latest and drop the others' rows (in the caller's transaction)."""
    ids = set(version_ids)
    latest = set(LawVersion.objects.filter(pk__in=ids, is_latest=True).values_list("pk", flat=True))
    _drop(sorted(ids - latest))
    return _scan(sorted(latest))


def resolve_new_laws(law_ids: Iterable[int]) -> int:
    """Resolve the unresolved citations that name one of these (new) laws; returns how many now resolve."""
    laws = list(Law.objects.filter(pk__in=set(law_ids)))
    if not laws:
        return 0
    names: set[str] = set()
    for law in laws:
        names.update(n for n in (law.norm_title, citations.normalize_title(law.short_name)) if n)
    if not names:
        return 0
    rows = list(ArticleCitation.objects.filter(cited_law=None, cited_norm__in=names))
    if not rows:
        return 0
    found = citations.find_laws({row.cited_title for row in rows})
    targets = _targets({(row.cited_title, row.cited_number, row.cited_suffix) for row in rows}, found)
    changed = []
    for row in rows:
        law_id = targets.get((row.cited_title, row.cited_number, row.cited_suffix))
        if law_id is not None:
            row.cited_law_id = law_id
            changed.append(row)
    ArticleCitation.objects.bulk_update(changed, ["cited_law"], batch_size=1000)
    return len(changed)


# --- reading --------------------------------------------------------------------------------------


def citing_articles(article: Article) -> QuerySet[ArticleCitation]:
    """Index rows citing `article` (its law and number), in-force texts first, then by 效力层级 and title.
    Rows whose citing article is the cited one itself are left out."""
    from fazhi.laws.selectors import LEVEL_RANK

    in_force_first = Case(
        When(citing_version__status=Status.IN_FORCE, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    level = Case(
        *(When(citing__law__level=lv, then=Value(i)) for i, lv in enumerate(LEVEL_RANK)),
        default=Value(len(LEVEL_RANK)),
        output_field=IntegerField(),
    )
    return (
        ArticleCitation.objects.filter(
            cited_law_id=article.law_id, cited_number=article.number, cited_suffix=article.suffix
        )
        .exclude(citing_id=article.pk)
        .order_by(in_force_first, level, "citing__law__title", "citing__ordinal", "pk")
    )


def cited_by(article: Article, *, limit: int) -> tuple[list[Article], int]:
    """Up to `limit` articles citing `article` (with law and version, no text) and how many there are."""
    rows = citing_articles(article)
    total = rows.count()
    if not total:
        return [], 0
    picked = list(
        rows.select_related("citing__law", "citing_version").defer(
            "citing__text", "citing__paragraphs", "citing_version__text", "citing_version__history"
        )[:limit]
    )
    found = []
    for row in picked:
        citing = row.citing
        citing.version = row.citing_version  # the version is the row's: no query per article
        found.append(citing)
    return found, total


# --- scanning -------------------------------------------------------------------------------------


def _drop(version_ids: Sequence[int]) -> None:
    if version_ids:
        ArticleCitation.objects.filter(citing_version_id__in=version_ids).delete()
        CitationScan.objects.filter(version_id__in=version_ids).delete()


def _scan(version_ids: Sequence[int]) -> int:
    """(Re)write the rows of these versions' articles and mark them scanned; returns the rows written."""
    if not version_ids:
        return 0
    ArticleCitation.objects.filter(citing_version_id__in=version_ids).delete()
    articles = list(
        Article.objects.filter(version_id__in=version_ids)
        .select_related("law")
        .only("pk", "version_id", "law_id", "number", "suffix", "text", "law__title", "law__norm_title")
    )
    found: list[tuple[Article, citations.Citation]] = []
    for article in articles:
        for c in citations.find_citations(article.text):
            if c.implicit or c.number is None or not 0 < c.number < MAX_NUMBER or c.suffix >= MAX_NUMBER:
                continue
            found.append((article, c))
    titles = {citations.clean_title(c.law_title) for _, c in found if not c.self_ref and c.law_title}
    laws = citations.find_laws(titles)
    wanted: set[tuple[str, int, int]] = set()
    for article, c in found:
        if c.self_ref:
            wanted.add((_SELF + article.law.title, c.number or 0, c.suffix))
        elif c.law_title:
            wanted.add((citations.clean_title(c.law_title), c.number or 0, c.suffix))
    own = {_SELF + a.law.title: a.law for a in articles}
    targets = _targets(wanted, {**laws, **own})
    rows: dict[tuple[int, str, int, int], ArticleCitation] = {}
    for article, c in found:
        number = c.number or 0
        if c.self_ref:
            key_title, written, norm = _SELF + article.law.title, "", article.law.norm_title
        else:
            key_title = written = citations.clean_title(c.law_title or "")
            norm = citations.normalize_title(written)
        law_id = targets.get((key_title, number, c.suffix))
        if law_id == article.law_id and (number, c.suffix) == (article.number, article.suffix):
            continue  # an article naming itself
        key = (article.pk, norm, number, c.suffix)
        if key not in rows and norm:
            rows[key] = ArticleCitation(
                citing_id=article.pk,
                citing_version_id=article.version_id,
                cited_law_id=law_id,
                cited_title=written[:300],
                cited_norm=norm[:300],
                cited_number=number,
                cited_suffix=c.suffix,
            )
    ArticleCitation.objects.bulk_create(rows.values(), batch_size=2000)
    CitationScan.objects.filter(version_id__in=version_ids).delete()
    CitationScan.objects.bulk_create([CitationScan(version_id=v) for v in version_ids], batch_size=2000)
    return len(rows)


_SELF = "\x00self:"  # key prefix of a law cited as 本法 (never a written title: NUL is refused on input)


def _targets(
    wanted: set[tuple[str, int, int]], laws: dict[str, Law | None]
) -> dict[tuple[str, int, int], int | None]:
    """(title, number, suffix) → id of the law whose article it is: the law the title names, except for
    the parts of 民法典 (separate laws sharing one normalised title), where the part holding the article."""
    out: dict[tuple[str, int, int], int | None] = {}
    parts: dict[tuple[int, int, int], tuple[Law, int, int]] = {}
    for title, number, suffix in wanted:
        law = laws.get(title)
        out[(title, number, suffix)] = law.pk if law else None
        if law is not None and "·" in law.title:
            parts[(law.pk, number, suffix)] = (law, number, suffix)
    if parts:
        located = citations.find_articles(parts.values())
        for title, number, suffix in wanted:
            law = laws.get(title)
            hit = located.get((law.pk, number, suffix)) if law else None
            if hit is not None:
                out[(title, number, suffix)] = hit.law_id
    return out
