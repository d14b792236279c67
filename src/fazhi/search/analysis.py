"""Text analysis for Chinese search. Each stage states its contract:

- normalize(text) → text: full-width → half-width, traditional → simplified, lower-case, unify spaces.
- cut(text) → words: rjieba words (with the user dictionary), punctuation and spaces dropped.
- bigrams(text) → character bigrams inside each run of CJK characters (for words inside compounds).
- strip_filler(query) → query without consultation filler (怎么办, 请问, 可以吗 …).
- query_terms(words) → the words worth searching for (stop words removed, order kept, unique).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np
import rjieba

_DATA = Path(__file__).parent / "data"
_lock = threading.Lock()
_dict_loaded = False

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{CJK}]+")
_WORD_OK = re.compile(f"[{CJK}0-9a-z]")
_SPACES = re.compile(r"\s+")

STOP_WORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "或",
        "及",
        "等",
        "对",
        "把",
        "被",
        "让",
        "给",
        "向",
        "从",
        "由",
        "以",
        "为",
        "于",
        "之",
        "其",
        "这",
        "那",
        "该",
        "此",
        "也",
        "都",
        "就",
        "还",
        "又",
        "而",
        "并",
        "且",
        "但",
        "个",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "么",
        "嘛",
        "哦",
        "有",
        "没",
        "没有",
        "会",
        "能",
        "要",
        "想",
        "可",
        "可以",
        "应",
        "应该",
        "如何",
        "怎么",
        "怎样",
        "什么",
        "哪些",
        "哪个",
        "多少",
        "是否",
        "我",
        "我们",
        "你",
        "您",
        "他",
        "她",
        "它",
        "他们",
        "自己",
        "一个",
        "一些",
        "这个",
        "那个",
        "如果",
        "因为",
        "所以",
        "然后",
        "已经",
        "请问",
        "问",
        "一下",
        "时候",
        "情况",
        "现在",
        "需要",
        "里",
        "上",
        "下",
        "中",
        "后",
        "前",
        "吗？",
    ]
)

FILLER = [
    "请问一下",
    "请问",
    "想问一下",
    "想问下",
    "想咨询一下",
    "咨询一下",
    "我想知道",
    "想知道",
    "怎么办",
    "该怎么办",
    "怎么处理",
    "如何处理",
    "怎么样",
    "可以吗",
    "行不行",
    "合法吗",
    "违法吗",
    "是否",
    "有哪些",
    "哪些",
    "吗",
    "呢",
    "？",
    "?",
    "！",
    "!",
]
_FILLER_RE = re.compile("|".join(re.escape(f) for f in sorted(FILLER, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _opencc():  # noqa: ANN202
    import opencc

    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """Full-width → half-width (NFKC), traditional → simplified, lower-case, whitespace collapsed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _opencc().convert(text)
    return _SPACES.sub(" ", text.lower()).strip()


# Snippets fold the same documents query after query: ≈ 24 KB for a 6,000-character head, 2 KB for a
# 500-character one; 2,048 holds a 599-policy library (512 thrashed).
@lru_cache(maxsize=2048)
def normalize_aligned(text: str) -> str | None:
    """`normalize` one character for one, so that positions in the copy are positions in the text
    (None when that cannot be had). Characters whose NFKC form has another length (…, ℃) stay as
    written and white space is not collapsed."""
    folded = _ONE_SPACE.sub(" ", normalize_chars(text))
    return folded if len(folded) == len(text) else None


def normalize_chars(text: str) -> str:
    """`normalize` character by character, uncached and about five times quicker on a policy text: NFKC
    through the one-for-one code-point table (characters whose NFKC form has another length stay as
    written), traditional → simplified, lower-case; white space left as it is. For bulk comparisons of
    whole texts (near-duplicate detection signs 60,000 of them)."""
    return _opencc().convert(_nfkc_one(text)).lower()


def _nfkc_one(text: str) -> str:
    """`text.translate(_NFKC_ONE)`, through a code-point table when the text is all in the Basic
    Multilingual Plane (≈ 8 µs instead of 33 for a 520-character policy head: snippets fold up to 100
    texts a search)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if not codes.size or codes.max() > 0xFFFF:
        return text.translate(_NFKC_ONE)
    return _bmp_table()[codes].tobytes().decode("utf-32-le", "surrogatepass")


@lru_cache(maxsize=1)
def _bmp_table() -> np.ndarray:
    """Code point → the code point of its one-character NFKC form (itself when that is longer), for the
    Basic Multilingual Plane; built once a process (≈ 30 ms)."""
    table = np.arange(0x10000, dtype=np.uint32)
    for code in range(0x10000):
        if not 0xD800 <= code < 0xE000:  # surrogates have no normal form
            table[code] = ord(_NFKC_ONE[code])
    return table


class _OneForOne(dict[int, str]):
    """str.translate table: a character → its NFKC form when that is one character, else itself."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        form = unicodedata.normalize("NFKC", char)
        self[code] = form if len(form) == 1 else char
        return self[code]


_NFKC_ONE = _OneForOne()
_ONE_SPACE = re.compile(r"\s")


def word_groups(text: str) -> list[list[str]]:
    """Groups of words from a data file: one group per line, words separated by white space, "#"
    starts a comment; lines with fewer than two words are skipped (synonyms, abbreviations)."""
    groups = []
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2:
            groups.append(words)
    return groups


def load_user_dictionary(extra_words: list[str] | None = None) -> None:
    """Add THUOCL law/finance terms and our own domain terms to rjieba, once per process."""
    global _dict_loaded
    with _lock:
        if _dict_loaded:
            return
        from django.conf import settings

        lexicon = Path(settings.FAZHI_DATA_DIR) / "lexicon"
        for name in ("THUOCL_law.txt", "THUOCL_caijing.txt"):
            path = lexicon / name
            if not path.exists():
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                parts = line.split()
                if parts and 2 <= len(parts[0]) <= 12:
                    rjieba.add_word(parts[0], None, None)
        own = _DATA / "domain_words.txt"
        if own.exists():
            for line in own.read_text(encoding="utf-8").splitlines():
                word = line.split("#", 1)[0].strip()
                if word:
                    rjieba.add_word(word, None, None)
        for word in extra_words or []:
            rjieba.add_word(word, None, None)
        _dict_loaded = True


def cut(text: str, *, normalized: bool = False) -> list[str]:
    """Words of the text (normalized first unless told it already is), punctuation dropped."""
    load_user_dictionary()
    if not normalized:
        text = normalize(text)
    return [w for w in rjieba.cut(text) if w.strip() and _WORD_OK.search(w)]


def cut_with_offsets(text: str, *, normalized: bool = False) -> list[tuple[str, int, int]]:
    """(word, start, end) in the given text; offsets index the normalized text."""
    load_user_dictionary()
    if not normalized:
        text = normalize(text)
    return [(w, s, e) for (w, s, e) in rjieba.tokenize(text) if w.strip() and _WORD_OK.search(w)]


def bigrams(text: str, *, normalized: bool = False) -> list[str]:
    """Character bigrams inside each CJK run ('劳动合同' → 劳动 动合 合同); single characters kept."""
    if not normalized:
        text = normalize(text)
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            out.append(run)
            continue
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def strip_filler(query: str) -> str:
    """Remove consultation filler; keep the query if nothing would be left."""
    stripped = _FILLER_RE.sub(" ", query)
    return stripped if stripped.strip() else query


def query_terms(words: list[str]) -> list[str]:
    """Distinct words worth searching for, in order (stop words and single punctuation removed)."""
    seen: set[str] = set()
    out: list[str] = []
    for w in words:
        if w in STOP_WORDS or w in seen:
            continue
        seen.add(w)
        out.append(w)
    return out
