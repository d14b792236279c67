"""Split a draft into paragraphs, sentences and clauses, keeping paragraph numbers and character offsets.

Contract: `split(text)` → paragraphs (1-based numbers, blank lines skipped); each paragraph's sentences
carry offsets within the paragraph, and `negated_from` when they sit in a list introduced by a
prohibition ("不得有下列行为：" followed by （一）（二）… items).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A sentence ends at 。！？； (semicolons separate the items of a list) or a line break.
_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』）)]*")
# Clauses are cut at commas and colons; the prohibition scope of 不得/严禁 is one clause.
CLAUSE_CUT = re.compile(r"[，,：:]")
ITEM_MARK = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,3}[、.．)）](?!\d)|[①-⑳])"
)
NEGATION = (
    "不得|不能|不应|不宜|不准|不许|严禁|禁止|杜绝|避免|防止|无权|不允许|不再|不将|不以|不作为|不予|不设|不要求|"
    "不限定|不指定|不限制|不排斥|不歧视|不区分|不对|不存在|未设置|未设定|没有|并非|不属于|不涉及|取消|清理|废除|废止|不含|不包含"
)
NEGATION_RE = re.compile(NEGATION)
# "不得少于/不低于/不超过…" set a threshold; they do not prohibit what the clause describes.
THRESHOLD_RE = re.compile(r"不(?:得|能|应|宜)?(?:少于|低于|高于|超过|多于|小于|大于|足|迟于|早于|超出)")
# A clause that continues the previous one's prohibition ("不得要求…，或者设置…").
CONTINUATION = re.compile(r"\s*(?:或者|或|以及|及|也不|亦不|也|亦|和|并|更不)")
# "不得有下列行为：" / "严禁以下做法：" — the items that follow are prohibitions, not rules.
LIST_LEAD = re.compile(rf"(?:{NEGATION})[^。；]{{0,30}}(?:下列|以下|如下|这些|包括)?[^。；]{{0,12}}[：:]\s*$")


@dataclass
class Sentence:
    text: str
    start: int  # offset within the paragraph
    # Text from this offset (within the sentence) on is governed by a prohibition lead-in
    # ("不得有下列行为：（一）…"); None when no prohibition governs the sentence as a whole.
    negated_from: int | None = None
    procurement: bool | None = None  # about procurement (decided once, by the engine)


@dataclass
class Paragraph:
    number: int  # 1-based, blank lines not counted
    text: str
    sentences: list[Sentence] = field(default_factory=list)


def sentences_of(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; the sentence keeps its closing punctuation."""
    out: list[tuple[int, str]] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        piece = text[pos : m.end()]
        if piece.strip():
            out.append((pos, piece))
        pos = m.end()
    if pos < len(text) and text[pos:].strip():
        out.append((pos, text[pos:]))
    return out


def _prohibition_lead(sentence: str) -> int | None:
    """Offset after the colon of a prohibition lead-in inside the sentence, else None."""
    head = sentence.rstrip("。；; \t")
    if LIST_LEAD.search(head):
        return len(head)
    # "不得有下列行为：（一）……" in one sentence: the colon is followed by the first item.
    for m in re.finditer(r"[：:]", head):
        if NEGATION_RE.search(head[: m.start()]) and ITEM_MARK.match(head[m.end() :]):
            return m.end()
    return None


def split(text: str) -> list[Paragraph]:
    """Paragraphs with their sentences; list items under a prohibition get `negated_from`."""
    paragraphs: list[Paragraph] = []
    in_prohibited_list = False
    number = 0
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            continue
        number += 1
        para = Paragraph(number=number, text=line)
        is_item = bool(ITEM_MARK.match(line))
        if not is_item:
            in_prohibited_list = False
        for index, (offset, sentence) in enumerate(sentences_of(line)):
            if index and not ITEM_MARK.match(sentence):
                in_prohibited_list = False
            lead = _prohibition_lead(sentence)
            negated_from = 0 if in_prohibited_list else lead
            para.sentences.append(Sentence(text=sentence, start=offset, negated_from=negated_from))
            if lead is not None:
                in_prohibited_list = True
        paragraphs.append(para)
    return paragraphs


def clause_bounds(sentence: str, pos: int) -> tuple[int, int]:
    """Start and end (within the sentence) of the clause that contains position `pos`."""
    start = 0
    for m in CLAUSE_CUT.finditer(sentence):
        if m.end() <= pos:
            start = m.end()
        else:
            return start, m.start()
    return start, len(sentence)
