"""试卷: blueprint rules, seeded paper generation and the grading rules (pure functions plus pool reads)."""

from __future__ import annotations

import hashlib
import random
from collections import deque
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from fazhi.core.errors import ValidationFailed
from fazhi.exams.models import PartialCredit, Question, QuestionType

CENT = Decimal("0.01")
Pools = dict[int, list[int]]  # blueprint row index → candidate question ids (sorted)
CaseSubs = dict[int, list[int]]  # case question id → its sub-question ids in order


def validate_blueprint(blueprint: Any) -> list[dict[str, Any]]:
    """Normalise a blueprint (list of {type, knowledge_point, count, points}); ValidationFailed if wrong."""
    if not isinstance(blueprint, list) or not blueprint:
        raise ValidationFailed("组卷规则不能为空：至少要有一行（题型、数量、每题分值）")
    rows = []
    for i, row in enumerate(blueprint, start=1):
        if not isinstance(row, dict):
            raise ValidationFailed(f"组卷规则第{i}行格式不正确")
        qtype = str(row.get("type", ""))
        if qtype not in QuestionType.values:
            raise ValidationFailed(f"组卷规则第{i}行：题型“{qtype}”无效，应为 single/multiple/judge/case")
        try:
            count = int(row.get("count", 0))
            points = Decimal(str(row.get("points", 0)))
        except (TypeError, ValueError, InvalidOperation):
            raise ValidationFailed(f"组卷规则第{i}行：数量和分值必须是数字") from None
        if not points.is_finite():  # NaN, sNaN, Infinity: Decimal reads them, no comparison may
            raise ValidationFailed(f"组卷规则第{i}行：每题分值“{row.get('points')}”不是有效的数字")
        if count < 1 or count > 500:
            raise ValidationFailed(f"组卷规则第{i}行：题目数量 {count} 应在 1 到 500 之间")
        if points <= 0 or points > 100:
            raise ValidationFailed(f"组卷规则第{i}行：每题分值 {points} 应大于 0 且不超过 100")
        rows.append(
            {
                "type": qtype,
                "knowledge_point": str(row.get("knowledge_point") or "").strip(),
                "count": count,
                "points": str(points.quantize(CENT)),
            }
        )
    return rows


def load_pools(blueprint: list[dict[str, Any]]) -> tuple[Pools, CaseSubs]:
    """The active questions each blueprint row may draw from (case questions need at least one sub-question)."""
    pools: Pools = {}
    case_subs: CaseSubs = {}
    for i, row in enumerate(blueprint):
        qs = Question.objects.filter(is_active=True, parent__isnull=True, type=row["type"])
        if row["knowledge_point"]:
            qs = qs.filter(knowledge_points__name=row["knowledge_point"])
        pools[i] = sorted(set(qs.values_list("id", flat=True)))
        if row["type"] == QuestionType.CASE and pools[i]:
            for parent_id, sub_id in (
                Question.objects.filter(parent_id__in=pools[i], is_active=True)
                .order_by("parent_id", "position", "id")
                .values_list("parent_id", "id")
            ):
                case_subs.setdefault(parent_id, []).append(sub_id)
            pools[i] = [q for q in pools[i] if q in case_subs]
    return pools, case_subs


def seed_for(exam_id: int, user_id: int, salt: str) -> int:
    """Each candidate's seed: different per candidate and exam, reproducible for audit."""
    digest = hashlib.sha256(f"{exam_id}:{user_id}:{salt}".encode()).hexdigest()
    return int(digest[:15], 16)


def _split(points: Decimal, parts: int) -> list[Decimal]:
    share = (points / parts).quantize(CENT, rounding=ROUND_HALF_UP)
    out = [share] * parts
    out[-1] = points - share * (parts - 1)
    return out


def generate_paper(
    blueprint: list[dict[str, Any]], seed: int, pools: Pools, case_subs: CaseSubs
) -> list[dict[str, Any]]:
    """Draw a paper: for each row, `count` distinct questions not drawn by an earlier row.

    The same blueprint, seed and pools always give the same paper. Rows whose pools overlap (单选题 of any
    point, then 单选题 on 行政处罚) are drawn row by row; when an earlier row happened to take questions a
    later row needed, the paper is drawn again as a matching (`_assign`), so that a blueprint the bank can
    fill is filled for every seed and a candidate is never refused a paper that another candidate got.
    """
    picked = _draw(blueprint, seed, pools) or _assign(blueprint, seed, pools)
    paper: list[dict[str, Any]] = []
    for i, row in enumerate(blueprint):
        points = Decimal(row["points"])
        for qid in picked[i]:
            if row["type"] == QuestionType.CASE:
                subs = case_subs[qid]
                for sub_id, share in zip(subs, _split(points, len(subs)), strict=True):
                    paper.append({"question_id": sub_id, "points": str(share), "case_id": qid, "row": i})
            else:
                paper.append({"question_id": qid, "points": str(points), "case_id": None, "row": i})
    return paper


def _draw(blueprint: list[dict[str, Any]], seed: int, pools: Pools) -> list[list[int]] | None:
    """Row by row, `count` random questions not drawn by an earlier row (None when a row runs short)."""
    rng = random.Random(seed)
    chosen: set[int] = set()
    picked = []
    for i, row in enumerate(blueprint):
        pool = [q for q in pools.get(i, []) if q not in chosen]
        if len(pool) < row["count"]:
            return None
        picks = rng.sample(pool, row["count"])
        chosen.update(picks)
        picked.append(picks)
    return picked


def row_questions(row: dict[str, Any]) -> str:
    """What a blueprint row draws, in words: "知识点“行政处罚”的单选题", or "判断题" without a point."""
    label = QuestionType(row["type"]).label
    return f"知识点“{row['knowledge_point']}”的{label}" if row["knowledge_point"] else label


def _assign(blueprint: list[dict[str, Any]], seed: int, pools: Pools) -> list[list[int]]:
    """Every row's questions as a maximum bipartite matching of question slots to questions (Kuhn's
    augmenting paths over the pools in a seeded random order): it fills the blueprint whenever any
    paper can, and otherwise names the first row that cannot be filled."""
    rng = random.Random(seed)
    order = {i: rng.sample(pools.get(i, []), len(pools.get(i, []))) for i in range(len(blueprint))}
    slot_row = [i for i, row in enumerate(blueprint) for _ in range(row["count"])]
    holder: dict[int, int] = {}  # question id → slot
    held: dict[int, int] = {}  # slot → question id

    def augment(start: int) -> bool:
        """Breadth-first search for an alternating path from `start` to a free question, then flip it
        (iterative: a long path must not hit Python's recursion limit)."""
        reached_from: dict[int, int] = {}  # question id → the slot it was reached from
        queue = deque([start])
        while queue:
            slot = queue.popleft()
            for qid in order[slot_row[slot]]:
                if qid in reached_from:
                    continue
                reached_from[qid] = slot
                if qid not in holder:
                    while True:  # flip the path back to the start
                        owner = reached_from[qid]
                        previous = held.get(owner)
                        holder[qid], held[owner] = owner, qid
                        if owner == start or previous is None:
                            return True
                        qid = previous
                queue.append(holder[qid])
        return False

    for slot, i in enumerate(slot_row):
        if not augment(slot):
            row = blueprint[i]
            have = len(pools.get(i, []))
            if have < row["count"]:
                raise ValidationFailed(
                    f"题库中{row_questions(row)}只有 {have} 道可用，组卷规则第{i + 1}行需要 {row['count']} 道"
                )
            raise ValidationFailed(
                f"题库中{row_questions(row)}有 {have} 道，但其中一部分也要用于组卷规则的其他行，"
                f"同一题不能出现两次，第{i + 1}行凑不够 {row['count']} 道：请减少题目数量或先导入试题"
            )
    picked: list[list[int]] = [[] for _ in blueprint]
    for qid, slot in sorted(holder.items(), key=lambda item: item[1]):
        picked[slot_row[slot]].append(qid)
    return picked


def check_blueprint_feasible(blueprint: list[dict[str, Any]]) -> None:
    """Raise ValidationFailed when the bank cannot fill the blueprint (for any seed: see generate_paper)."""
    pools, subs = load_pools(blueprint)
    generate_paper(blueprint, 0, pools, subs)


def grade(qtype: str, key: list[str], given: list[str], points: Decimal, rule: str) -> tuple[bool, Decimal]:
    """(fully correct?, score) for one answer.

    Multiple choice: a wrong option scores 0; an incomplete but correct selection scores by the rule
    (none → 0, half → half the points, proportional → points × chosen ÷ correct).
    """
    k, g = set(key), set(given)
    if g == k and k:
        return True, points
    if qtype != QuestionType.MULTIPLE or not g or g - k:
        return False, Decimal("0")
    if rule == PartialCredit.HALF:
        return False, (points / 2).quantize(CENT, rounding=ROUND_HALF_UP)
    if rule == PartialCredit.PROPORTIONAL:
        return False, (points * len(g) / len(k)).quantize(CENT, rounding=ROUND_HALF_UP)
    return False, Decimal("0")
