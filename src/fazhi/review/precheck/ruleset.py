"""Rules are data: one YAML file per family in rules/, loaded and compiled once.

Contract: `load_rules()` → the compiled rules of every family in a fixed order (CITE, POWER, FC, PROC,
FORM). A rule either has regex `patterns` (matched per sentence) or a `logic` name (a function in
`logic.py`). `{NAME}` in a pattern is replaced by the regex of the same name in rules/_macros.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RULES_DIR = Path(__file__).parent / "rules"
FAMILIES = ("CITE", "POWER", "FC", "PROC", "FORM")
FAMILY_NAMES = {
    "CITE": "引用法律法规",
    "POWER": "规范性文件不得设定的事项",
    "FC": "公平竞争审查",
    "PROC": "政府采购文件",
    "FORM": "规范性文件要素",
}
SEVERITIES = ("高", "中", "低")
NEGATION_MODES = ("clause", "prefix", "off")
CONTEXTS = ("any", "procurement", "policy")
_MACRO = re.compile(r"\{([A-Z][A-Z_]*)\}")


@dataclass
class Rule:
    id: str
    family: str
    title: str
    severity: str
    message: str
    basis: str
    suggestion: str
    basis_url: str = ""
    patterns: list[re.Pattern[str]] = field(default_factory=list)
    logic: str = ""
    scope: str = "sentence"  # sentence | document
    # procurement: only sentences of a procurement document or about procurement; policy: the others.
    context: str = "any"
    negation: str = "clause"
    unless: list[re.Pattern[str]] = field(default_factory=list)
    require: list[re.Pattern[str]] = field(default_factory=list)
    doc_types: list[str] = field(default_factory=list)  # empty: every document type
    params: dict[str, Any] = field(default_factory=dict)
    lowers_with_exception: bool = False
    # A broad rule of a family gives way to the family's other rules where they quote an overlapping span.
    gives_way: bool = False
    positive: list[str] = field(default_factory=list)
    negative: list[str] = field(default_factory=list)
    example_doc_type: str = ""


@dataclass
class Family:
    code: str
    name: str
    rules: list[Rule]
    exception_patterns: list[re.Pattern[str]] = field(default_factory=list)
    exception_note: str = ""


class RuleError(ValueError):
    """A rules file is malformed (raised at load time, so a bad edit fails loudly in tests)."""


def _expand(pattern: str, macros: dict[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in macros:
            raise RuleError(f"未定义的宏 {{{name}}}")
        return f"(?:{macros[name]})"

    # Macros may use other macros; expand until stable.
    for _ in range(5):
        new = _MACRO.sub(sub, pattern)
        if new == pattern:
            break
        pattern = new
    return pattern


def _compile(patterns: list[str] | None, macros: dict[str, str], where: str) -> list[re.Pattern[str]]:
    out = []
    for p in patterns or []:
        try:
            out.append(re.compile(_expand(str(p), macros)))
        except re.error as exc:
            raise RuleError(f"{where}：正则表达式有误（{exc}）：{p}") from exc
    return out


def _load_macros() -> dict[str, str]:
    data = yaml.safe_load((RULES_DIR / "_macros.yaml").read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in data.items()}


def _rule(raw: dict[str, Any], family: str, defaults: dict[str, Any], macros: dict[str, str]) -> Rule:
    rid = str(raw.get("id", ""))
    for key in ("id", "title", "severity", "message", "basis", "suggestion"):
        if not raw.get(key):
            raise RuleError(f"{family} 规则 {rid or '?'} 缺少 {key}")
    if raw["severity"] not in SEVERITIES:
        raise RuleError(f"{rid}：严重程度应为 高/中/低")
    if not raw.get("patterns") and not raw.get("logic"):
        raise RuleError(f"{rid}：须有 patterns 或 logic")
    examples = raw.get("examples") or {}
    positive, negative = list(examples.get("positive") or []), list(examples.get("negative") or [])
    if len(positive) < 2 or len(negative) < 2:
        raise RuleError(f"{rid}：至少需要两个正例和两个反例")
    negation = raw.get("negation", defaults.get("negation", "clause"))
    if negation not in NEGATION_MODES:
        raise RuleError(f"{rid}：negation 应为 {NEGATION_MODES}")
    if raw.get("context", defaults.get("context", "any")) not in CONTEXTS:
        raise RuleError(f"{rid}：context 应为 {CONTEXTS}")
    unless = list(raw.get("unless") or [])
    if raw.get("inherit_unless", True):
        unless += list(defaults.get("unless") or [])
    return Rule(
        id=rid,
        family=family,
        title=str(raw["title"]),
        severity=str(raw["severity"]),
        message=str(raw["message"]).strip(),
        basis=str(raw["basis"]).strip(),
        suggestion=str(raw["suggestion"]).strip(),
        basis_url=str(raw.get("basis_url", "")),
        patterns=_compile(raw.get("patterns"), macros, rid),
        logic=str(raw.get("logic", "")),
        scope=str(raw.get("scope", defaults.get("scope", "sentence"))),
        context=str(raw.get("context", defaults.get("context", "any"))),
        negation=str(negation),
        unless=_compile(unless, macros, rid),
        require=_compile(raw.get("require") or defaults.get("require"), macros, rid),
        doc_types=list(raw.get("doc_types") or defaults.get("doc_types") or []),
        params=dict(raw.get("params") or {}),
        lowers_with_exception=bool(
            raw.get("lowers_with_exception", defaults.get("lowers_with_exception", False))
        ),
        gives_way=bool(raw.get("gives_way", False)),
        positive=[str(x) for x in positive],
        negative=[str(x) for x in negative],
        example_doc_type=str(raw.get("example_doc_type", defaults.get("example_doc_type", ""))),
    )


@lru_cache(maxsize=1)
def load_rules() -> tuple[Family, ...]:
    """Every family's compiled rules (cached for the process)."""
    macros = _load_macros()
    families = []
    seen: set[str] = set()
    for code in FAMILIES:
        path = RULES_DIR / f"{code.lower()}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        defaults = dict(data.get("defaults") or {})
        rules = []
        for raw in data.get("rules") or []:
            rule = _rule(raw, code, defaults, macros)
            if rule.id in seen:
                raise RuleError(f"规则编号重复：{rule.id}")
            seen.add(rule.id)
            rules.append(rule)
        exc = data.get("exception") or {}
        families.append(
            Family(
                code=code,
                name=FAMILY_NAMES[code],
                rules=rules,
                exception_patterns=_compile(exc.get("patterns"), macros, f"{code} exception"),
                exception_note=str(exc.get("note", "")),
            )
        )
    return tuple(families)


@lru_cache(maxsize=1)
def procurement_context() -> re.Pattern[str]:
    """Words that make a sentence a procurement sentence (macro PROC_CONTEXT)."""
    return re.compile(_load_macros()["PROC_CONTEXT"])


def all_rules() -> list[Rule]:
    return [rule for family in load_rules() for rule in family.rules]


def rule_by_id(rule_id: str) -> Rule | None:
    return next((r for r in all_rules() if r.id == rule_id), None)
