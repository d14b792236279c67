"""题库 writing: the law and article links of a whole file resolved at once, and the questions written in
bulk (a fixed handful of queries per 500 questions instead of several per question).

Contract:
- `Links.of(questions)` looks up every 所属法规 title and every 《法规名》第N条 citation of the cleaned
  questions (sub-questions included) in a few queries; `links.resolve(question)` → (law id, articles) or
  ValidationFailed with the message the citation deserves.
- `write(items, progress=...)` creates the questions (with their sub-questions, knowledge points and
  article links) in batches and returns them; call it inside the caller's transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from fazhi.core.batches import chunks
from fazhi.core.errors import ValidationFailed
from fazhi.exams.models import KnowledgePoint, Question
from fazhi.exams.models.bank import fingerprint

BATCH = 500
_CITATION = re.compile(r"^《(?P<title>[^》]+)》(?P<label>第.+条(?:之.+)?)$")

Progress = Callable[[str, int, int], None]


def short(value: Any, limit: int = 20) -> str:
    """User input quoted in a message, cut so that a huge value cannot flood the page."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass
class Links:
    laws: dict[str, Any]  # 所属法规 title as written → Law or None
    citations: dict[str, Any]  # citation as written → Article, or the message saying why it does not resolve

    @classmethod
    def of(cls, questions: Iterable[dict[str, Any]]) -> Links:
        from fazhi.core.numerals import parse_article_label
        from fazhi.laws.citations import find_articles, find_laws

        titles: set[str] = set()
        written: set[str] = set()
        for q in questions:
            for item in (q, *q["sub_questions"]):
                if item["law"]:
                    titles.add(item["law"])
                written.update(item["articles"])
        citations: dict[str, Any] = {}
        parsed: dict[str, tuple[str, str, int, int]] = {}  # citation → (law title, 第N条, number, suffix)
        for c in written:
            m = _CITATION.match(c.strip())
            if not m:
                citations[c] = f"关联法条“{short(c, 40)}”格式应为《法规名称》第N条"
                continue
            try:
                number, suffix = parse_article_label(m.group("label"))
            except ValueError:
                citations[c] = f"关联法条“{short(c, 40)}”的条号无法识别"
                continue
            parsed[c] = (m.group("title"), m.group("label"), number, suffix)
        laws = find_laws(titles | {title for title, _, _, _ in parsed.values()})
        found = find_articles(
            (law, n, s) for title, _, n, s in parsed.values() if (law := laws[title]) is not None
        )
        for c, (title, label, n, s) in parsed.items():
            law = laws[title]
            if law is None:
                citations[c] = f"关联法条“{short(c, 40)}”：法规库中没有《{short(title, 40)}》"
                continue
            article = found.get((law.pk, n, s))
            citations[c] = article if article is not None else f"关联法条“{c}”：《{law.title}》中没有{label}"
        return cls(laws={t: laws[t] for t in titles}, citations=citations)

    def resolve(self, question: dict[str, Any]) -> tuple[int | None, list[Any]]:
        """(所属法规 id, linked articles) of one cleaned question (not its sub-questions)."""
        articles = []
        for c in question["articles"]:
            hit = self.citations[c]
            if isinstance(hit, str):
                raise ValidationFailed(hit)
            articles.append(hit)
        if question["law"]:
            law = self.laws.get(question["law"])
            if law is None:
                raise ValidationFailed(f"所属法规“{short(question['law'], 40)}”在法规库中不存在")
            return law.pk, articles
        return (articles[0].law_id if articles else None), articles


@dataclass
class Item:
    """One question ready to write: its cleaned fields, links, and its sub-questions (for a case)."""

    cleaned: dict[str, Any]
    law_id: int | None
    articles: list[Any]
    subs: list[Item] = field(default_factory=list)


def prepare(cleaned: dict[str, Any], links: Links) -> Item:
    """The question and its sub-questions with their links (ValidationFailed names the sub-question). A
    sub-question without its own 所属法规, 来源 or 知识点 takes the case's."""
    law_id, articles = links.resolve(cleaned)
    item = Item(cleaned, law_id, articles)
    for i, sub in enumerate(cleaned["sub_questions"], start=1):
        try:
            sub_law_id, sub_articles = links.resolve(sub)
        except ValidationFailed as exc:
            raise ValidationFailed(f"第{i}小题：{exc.message}") from None
        sub = {**sub, "source": sub["source"] or cleaned["source"]}
        sub["knowledge_points"] = sub["knowledge_points"] or cleaned["knowledge_points"]
        item.subs.append(Item(sub, sub_law_id or law_id, sub_articles))
    return item


def write(items: list[Item], *, progress: Progress | None = None) -> list[Question]:
    """Create the questions in batches; returns the top-level questions in the order given."""
    points = _knowledge_points(
        {n for item in items for q in (item, *item.subs) for n in q.cleaned["knowledge_points"]}
    )
    total, done = len(items) + sum(len(item.subs) for item in items), 0
    tops = [_question(item, parent=None, position=0) for item in items]
    for batch in chunks(tops, BATCH):
        Question.objects.bulk_create(batch)
        done += len(batch)
        if progress:
            progress("保存", done, total)
    _check_ids(tops)
    subs: list[tuple[Question, Item]] = [
        (_question(sub, parent=top, position=i), sub)
        for top, item in zip(tops, items, strict=True)
        for i, sub in enumerate(item.subs, start=1)
    ]
    for batch in chunks([q for q, _ in subs], BATCH):
        Question.objects.bulk_create(batch)
        done += len(batch)
        if progress:
            progress("保存", done, total)
    _check_ids([q for q, _ in subs])
    written: list[tuple[Question, Item]] = [*zip(tops, items, strict=True), *subs]
    point_links = Question.knowledge_points.through
    article_links = Question.articles.through
    for pairs in chunks(written, BATCH):
        point_links.objects.bulk_create(
            point_links(question_id=q.pk, knowledgepoint_id=points[name].pk)
            for q, item in pairs
            for name in dict.fromkeys(item.cleaned["knowledge_points"])
        )
        article_links.objects.bulk_create(
            article_links(question_id=q.pk, article_id=pk)
            for q, item in pairs
            for pk in dict.fromkeys(a.pk for a in item.articles)
        )
    return tops


def _question(item: Item, *, parent: Question | None, position: int) -> Question:
    c = item.cleaned
    base = fingerprint(c["stem"], c["options"])  # as Question.save() would set it (bulk_create skips save)
    return Question(
        type=c["type"],
        stem=c["stem"],
        options=c["options"],
        answer=c["answer"],
        explanation=c["explanation"],
        difficulty=c["difficulty"],
        law_id=item.law_id,
        source=c["source"],
        parent=parent,
        position=position,
        fingerprint=base if parent is None else f"{parent.pk}:{base}"[:64],
    )


def _check_ids(rows: list[Any]) -> None:
    if any(row.pk is None for row in rows):  # a backend that does not return ids from bulk INSERT
        raise RuntimeError("the database did not return the ids of the imported rows")


def _knowledge_points(names: set[str]) -> dict[str, KnowledgePoint]:
    found = {p.name: p for p in KnowledgePoint.objects.filter(name__in=names)}
    missing = [KnowledgePoint(name=n) for n in sorted(names - set(found))]
    for batch in chunks(missing, BATCH):
        for point in KnowledgePoint.objects.bulk_create(batch):
            found[point.name] = point
    _check_ids(list(found.values()))
    return found
