"""Entry point of the precheck pipeline.

split into paragraphs and sentences (segment) → citation resolver (cite) → rule families (rules/*.yaml,
sentence patterns and named logic) → findings, deduplicated and ordered by position.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fazhi.review.precheck import logic, segment
from fazhi.review.precheck.ruleset import FAMILIES, SEVERITIES, Family, Rule, load_rules, procurement_context
from fazhi.review.precheck.types import Finding

# Document types as written by the review app (values) and as users write them (labels).
DOC_TYPE_ALIASES = {
    "normative": "行政规范性文件",
    "规范性文件": "行政规范性文件",
    "procurement": "政府采购文件",
    "采购文件": "政府采购文件",
    "招标文件": "政府采购文件",
    "major_decision": "重大行政决策",
    "contract": "合同",
    "penalty": "行政处罚决定书",
    "other": "其他文书",
}

# Procedure steps recorded on a draft, as the review app stores them (ProcedureRecord.step) and as labelled.
PROCEDURE_ALIASES = {
    "consultation": "征求意见",
    "assessment": "评估论证",
    "deliberation": "集体审议",
}


@dataclass
class Override:
    """An administrator's setting for one rule."""

    enabled: bool = True
    severity: str = ""


@dataclass
class Context:
    text: str
    doc_type: str
    paragraphs: list[segment.Paragraph]
    cache: dict[str, Any] = field(default_factory=dict)
    procurement_document: bool = False
    # Procedure steps recorded on the draft outside its text (labels: 征求意见, 评估论证, 集体审议).
    procedures: frozenset[str] = frozenset()


def normalize_doc_type(doc_type: str) -> str:
    doc_type = (doc_type or "").strip()
    return DOC_TYPE_ALIASES.get(doc_type, doc_type)


def normalize_procedures(procedures: Iterable[str] | None) -> frozenset[str]:
    """Recorded steps as labels ("consultation" or "征求意见" → "征求意见")."""
    steps = (str(p or "").strip() for p in procedures or ())
    return frozenset(PROCEDURE_ALIASES.get(step, step) for step in steps if step)


def load_overrides() -> dict[str, Override]:
    """The administrator's rule switches and severities (RuleSetting rows)."""
    from fazhi.review.precheck.models import RuleSetting

    return {
        s.rule_id: Override(enabled=s.enabled, severity=s.severity)
        for s in RuleSetting.objects.only("rule_id", "enabled", "severity")
    }


def _lower(severity: str) -> str:
    i = SEVERITIES.index(severity)
    return SEVERITIES[min(i + 1, len(SEVERITIES) - 1)]


def _negated(sentence: segment.Sentence, start: int, end: int, mode: str, thresholds: bool = True) -> bool:
    """Is the match a prohibition or a list item under one ("不得要求…", "不得有下列行为：（一）…")?

    With `thresholds`, "不得少于/不超过…" are read as limits, not as prohibitions of the clause.
    """
    if sentence.negated_from is not None and start >= sentence.negated_from:
        return True
    if mode == "off":
        return False
    text = sentence.text
    cs, _ = segment.clause_bounds(text, start)
    window = text[cs:start] if mode == "prefix" else text[cs:end]
    if thresholds:
        window = segment.THRESHOLD_RE.sub("", window)
    if segment.NEGATION_RE.search(window):
        return True
    # "不得要求…，或者设置…": a clause joined by 或者/以及 continues the previous prohibition.
    while cs > 0 and segment.CONTINUATION.match(text, cs):
        prev_start, _ = segment.clause_bounds(text, cs - 1)
        if segment.NEGATION_RE.search(text[prev_start:cs]):
            return True
        cs = prev_start
    return False


def _exception_note(family: Family, paragraph: segment.Paragraph, ctx: Context) -> str:
    """A stated exception (公平竞争审查条例 Art 12) in the paragraph or the document, else ''."""
    if not family.exception_patterns:
        return ""
    key = f"exception:{family.code}"
    if key not in ctx.cache:
        ctx.cache[key] = next(
            (m.group(0) for p in family.exception_patterns if (m := p.search(ctx.text))), ""
        )
    found = next((m.group(0) for p in family.exception_patterns if (m := p.search(paragraph.text))), "")
    return found or ctx.cache[key]


_PROCUREMENT_TITLE = re.compile(
    r"招标文件|采购文件|磋商文件|谈判文件|询价通知书|采购需求|竞争性磋商|公开招标|比选文件"
)


def _in_context(rule: Rule, sentence: segment.Sentence, ctx: Context) -> bool:
    if rule.context == "any":
        return True
    if sentence.procurement is None:
        sentence.procurement = ctx.procurement_document or bool(procurement_context().search(sentence.text))
    if rule.context == "procurement":
        return sentence.procurement
    # A policy sentence that merely mentions procurement ("纳入政府采购目录") is still checked by the
    # policy rules, unless the whole document is a procurement file; see _drop_fallbacks.
    return not ctx.procurement_document


def _sentence_spans(rule: Rule, sentence: segment.Sentence, ctx: Context) -> list[tuple[int, int, dict]]:
    text = sentence.text
    if not _in_context(rule, sentence, ctx):
        return []
    if rule.require and not any(p.search(text) for p in rule.require):
        return []
    if any(p.search(text) for p in rule.unless):
        return []
    spans: list[tuple[int, int, dict]] = []
    for pattern in rule.patterns:
        for m in pattern.finditer(text):
            if m.end() > m.start():
                spans.append((m.start(), m.end(), {}))
    if rule.logic:
        spans.extend(logic.sentence_logic(rule.logic)(rule, text, ctx))
    # Named logic reads numbers itself ("不得超过预算金额的2%"): keep thresholds as negations there.
    kept = [s for s in spans if not _negated(sentence, s[0], s[1], rule.negation, thresholds=not rule.logic)]
    return [_to_clause(text, s) for s in kept]


def _to_clause(text: str, span: tuple[int, int, dict]) -> tuple[int, int, dict]:
    """Widen a match to the clauses it touches, so the quote reads as a phrase of the draft."""
    start, _ = segment.clause_bounds(text, span[0])
    _, end = segment.clause_bounds(text, max(span[0], span[1] - 1))
    while end > start and text[end - 1] in "。；;！？!? \t":
        end -= 1
    while start < end and text[start] in " \t\u3000":
        start += 1
    return start, max(end, span[1]), span[2]


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _finding(
    rule: Rule, severity: str, para_no: int, start: int, end: int, quote: str, extra: dict
) -> Finding:
    values = _SafeDict(extra)
    return Finding(
        rule_id=rule.id,
        family=rule.family,
        severity=severity,
        paragraph=para_no,
        start=start,
        end=end,
        quote=quote,
        message=rule.message.format_map(values) + (extra.get("note") or ""),
        basis=rule.basis.format_map(values),
        suggestion=rule.suggestion.format_map(values),
        basis_url=str(extra.get("basis_url") or rule.basis_url),
    )


@dataclass
class CitationLink:
    """A citation that resolved to the law library (shown as a link)."""

    paragraph: int
    start: int
    end: int
    text: str
    law: str
    article: str
    url: str

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("paragraph", "start", "end", "text", "law", "article", "url")}


@dataclass
class Report:
    findings: list[Finding]
    citations: list[CitationLink]
    paragraphs: list[segment.Paragraph]


def check(
    text: str,
    doc_type: str = "",
    *,
    overrides: Mapping[str, Override] | None = None,
    procedures: Iterable[str] | None = None,
) -> list[Finding]:
    """All findings for a draft's text, ordered by position."""
    return run(text, doc_type, overrides=overrides, procedures=procedures).findings


def run(
    text: str,
    doc_type: str = "",
    *,
    overrides: Mapping[str, Override] | None = None,
    procedures: Iterable[str] | None = None,
) -> Report:
    """Findings, resolved citations and the paragraphs they point into.

    `procedures`: the steps recorded on the draft (ProcedureRecord.step codes such as "consultation", or
    labels such as "征求意见"); a rule whose element is a recorded step (FORM-CONSULT) is then satisfied.
    """
    if not text or not text.strip():
        return Report(findings=[], citations=[], paragraphs=[])
    if overrides is None:
        overrides = load_overrides()
    ctx = Context(
        text=text,
        doc_type=normalize_doc_type(doc_type),
        paragraphs=segment.split(text),
        procedures=normalize_procedures(procedures),
    )
    ctx.procurement_document = ctx.doc_type == "政府采购文件" or bool(_PROCUREMENT_TITLE.search(text[:300]))
    findings: list[Finding] = []
    # sentence findings → (paragraph, sentence start, about procurement, written as a procurement file)
    where: dict[int, tuple[int, int, bool, bool]] = {}
    silenced: set[tuple[int, int]] = set()  # sentences where a rule switched off would have matched
    for family in load_rules():
        for rule in family.rules:
            setting = overrides.get(rule.id, Override())
            if rule.doc_types and ctx.doc_type not in rule.doc_types:
                continue
            if not setting.enabled:
                # A rule switched off keeps the learned fallback quiet where it would have matched.
                if rule.scope != "document" and not rule.id.endswith(GENERAL):
                    silenced.update(
                        (para.number, sentence.start)
                        for para in ctx.paragraphs
                        for sentence in para.sentences
                        if _sentence_spans(rule, sentence, ctx)
                    )
                continue
            base = setting.severity or rule.severity
            if rule.scope == "document":
                for para_no, start, end, extra in logic.document_logic(rule.logic)(rule, ctx):
                    para_text = ctx.paragraphs[para_no - 1].text if 0 < para_no <= len(ctx.paragraphs) else ""
                    sev = extra.pop("severity", "") or base
                    findings.append(_finding(rule, sev, para_no, start, end, para_text[start:end], extra))
                continue
            for para in ctx.paragraphs:
                for sentence in para.sentences:
                    for s, e, extra in _sentence_spans(rule, sentence, ctx):
                        severity, extra = base, dict(extra)
                        note = _exception_note(family, para, ctx) if rule.lowers_with_exception else ""
                        if note:
                            severity = _lower(severity)
                            extra["note"] = (
                                f"（文件载明例外情形“{note}”，已降低严重程度；{family.exception_note}）"
                            )
                        start, end = sentence.start + s, sentence.start + e
                        finding = _finding(
                            rule, severity, para.number, start, end, para.text[start:end], extra
                        )
                        findings.append(finding)
                        voice = ctx.procurement_document or bool(_PROCUREMENT_VOICE.search(sentence.text))
                        where[id(finding)] = (para.number, sentence.start, bool(sentence.procurement), voice)
    findings = _drop_fallbacks(findings, where, silenced)
    findings = _give_way(findings, {r.id for f in load_rules() for r in f.rules if r.gives_way})
    return Report(findings=_dedupe(findings), citations=_citation_links(ctx), paragraphs=ctx.paragraphs)


GENERAL = "-GENERAL"  # rule ids of the learned fallback (logic learned_fallback)

# Words of a procurement file itself (its parties and procedure), as opposed to a policy measure that
# mentions bidding ("政府投资项目招标时，对本地企业给予优先考虑").
_PROCUREMENT_VOICE = re.compile(
    r"投标人|供应商|响应人|投标文件|响应文件|磋商文件|采购文件|招标文件|评标委员会|评审委员会|磋商小组|"
    r"谈判小组|本项目|本次采购|本次招标|采购人|中标人|中标候选人|成交供应商"
)


def _drop_fallbacks(
    findings: list[Finding],
    where: dict[int, tuple[int, int, bool, bool]],
    silenced: set[tuple[int, int]] | None = None,
) -> list[Finding]:
    """The learned fallback gives way to any rule; one family per restriction about procurement.

    In a procurement file, or a sentence written as one (投标人/供应商…), the policy (FC) and POWER
    findings give way when a PROC rule found something; in a policy measure that merely mentions
    bidding, the PROC findings give way to FC.
    """
    # The learned fallback (*-GENERAL) speaks only where no rule found anything in the sentence.
    ruled = {where[id(f)][:2] for f in findings if id(f) in where and not f.rule_id.endswith(GENERAL)}
    ruled |= silenced or set()
    findings = [
        f
        for f in findings
        if not (f.rule_id.endswith(GENERAL) and id(f) in where and where[id(f)][:2] in ruled)
    ]
    by_sentence: dict[tuple[int, int], set[str]] = {}
    for f in findings:
        if id(f) in where and where[id(f)][2]:
            by_sentence.setdefault(where[id(f)][:2], set()).add(f.family)
    if not any("PROC" in fams for fams in by_sentence.values()):
        return findings
    kept = []
    for f in findings:
        w = where.get(id(f))
        fams = by_sentence.get(w[:2], set()) if w is not None else set()
        if w is not None and "PROC" in fams:
            voice = w[3]
            if voice and f.family in ("FC", "POWER"):
                continue  # a procurement file's own restriction (PROC) says it all
            if not voice and f.family == "PROC" and "FC" in fams:
                continue
        kept.append(f)
    return kept


def _give_way(findings: list[Finding], yielding: set[str]) -> list[Finding]:
    """A rule marked `gives_way` is silent where another rule of its family quotes an overlapping span."""
    if not yielding:
        return findings
    others = [f for f in findings if f.rule_id not in yielding and not f.rule_id.endswith(GENERAL)]
    return [
        f
        for f in findings
        if f.rule_id not in yielding
        or not any(
            o.family == f.family and o.paragraph == f.paragraph and o.start < f.end and f.start < o.end
            for o in others
        )
    ]


def _citation_links(ctx: Context) -> list[CitationLink]:
    if "cite_resolved" not in ctx.cache:
        return []
    return [
        CitationLink(
            paragraph=r.paragraph,
            start=r.start,
            end=r.end,
            text=r.text,
            law=r.law.title if r.law else "",
            article=r.article.label if r.article else "",
            url=r.url,
        )
        for r in ctx.cache["cite_resolved"]
        if r.law is not None
    ]


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per rule and overlapping span; ordered by paragraph, position and family."""
    order = {code: i for i, code in enumerate(FAMILIES)}
    findings.sort(key=lambda f: (f.paragraph, f.start, order.get(f.family, 9), f.rule_id, -(f.end - f.start)))
    kept: list[Finding] = []
    last_end: dict[tuple[str, int], int] = {}
    for f in findings:
        key = (f.rule_id, f.paragraph)
        if key in last_end and f.start < last_end[key]:
            last_end[key] = max(last_end[key], f.end)
            continue
        last_end[key] = f.end
        kept.append(f)
    return kept
