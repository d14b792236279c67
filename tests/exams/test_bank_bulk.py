"""题库 import in bulk: the same handful of queries for 30 rows as for 300, links looked up once per file,
a case's sub-questions linked and inheriting the case's law, source and knowledge points, a bad citation in
a sub-question a row error (nothing saved), and progress for 校验 and 保存."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.exams.models import Question
from fazhi.exams.services import bank


@pytest.fixture
def penalty_law(db):
    from fazhi.laws.models import Article, Law, LawVersion

    law = Law.objects.create(title="中华人民共和国行政处罚法", norm_title="行政处罚法", level="law")
    version = LawVersion.objects.create(law=law, text="…", text_hash="h", is_latest=True, status="in_force")
    articles = [
        Article.objects.create(
            version=version, law=law, number=n, label=f"第{n}条", ordinal=n, text=f"条文{n}"
        )
        for n in range(1, 11)
    ]
    return law, articles


def rows(n: int, prefix: str = "题") -> list[tuple[int, dict]]:
    return [
        (
            i + 2,
            {
                "type": "单选",
                "stem": f"{prefix}{i}：依照行政处罚法，下列说法正确的是",
                "options": {"A": f"甲{i}", "B": "乙", "C": "丙"},
                "answer": "A",
                "knowledge_points": [f"知识点{i % 7}", "行政处罚"],
                "articles": [
                    f"《行政处罚法》第{i % 10 + 1}条",
                    f"《中华人民共和国行政处罚法》第{i % 10 + 1}条",
                ],
                "law": "行政处罚法",
            },
        )
        for i in range(n)
    ]


def test_the_number_of_queries_does_not_grow_with_the_rows(penalty_law):
    with CaptureQueriesContext(connection) as small:
        assert bank.import_questions(rows=rows(30, "小")).created == 30
    with CaptureQueriesContext(connection) as large:
        assert bank.import_questions(rows=rows(300, "大")).created == 300
    # Ten times the rows, a few more INSERT batches (SQLite caps the parameters of one statement); one
    # question at a time took about four and a half queries a row.
    assert len(small.captured_queries) <= 20 and len(large.captured_queries) <= 30
    law, articles = penalty_law
    q = Question.objects.get(stem__startswith="大17：")
    # The two ways of citing the same article link it once; the law is the one named.
    assert list(q.articles.all()) == [articles[7]] and q.law == law
    assert sorted(q.knowledge_points.values_list("name", flat=True)) == ["知识点3", "行政处罚"]
    assert q.fingerprint and Question.objects.filter(fingerprint=q.fingerprint).count() == 1


def test_a_case_sub_question_inherits_and_links(penalty_law):
    law, articles = penalty_law
    case = {
        "type": "案例",
        "stem": "某局对甲公司罚款五万元……",
        "law": "行政处罚法",
        "source": "2026年执法考试",
        "knowledge_points": ["听证"],
        "sub_questions": [
            {"type": "判断", "stem": "应告知听证权利", "answer": "对", "articles": ["《行政处罚法》第3条"]},
            {"type": "判断", "stem": "可以当场收缴", "answer": "错", "knowledge_points": ["当场收缴"]},
        ],
    }
    report = bank.import_questions(rows=[(2, case)])
    assert report.ok and report.created == 1
    top = Question.objects.get(type="case")
    first, second = top.sub_questions.order_by("position")
    assert (first.position, second.position) == (1, 2)
    assert list(first.articles.all()) == [articles[2]] and first.law == law and second.law == law
    assert first.source == second.source == "2026年执法考试"
    assert list(first.knowledge_points.values_list("name", flat=True)) == ["听证"]
    assert list(second.knowledge_points.values_list("name", flat=True)) == ["当场收缴"]
    assert first.fingerprint.startswith(f"{top.pk}:")


def test_a_bad_citation_in_a_sub_question_is_a_row_error_and_nothing_is_saved(penalty_law):
    case = {
        "type": "案例",
        "stem": "案例题",
        "sub_questions": [
            {"type": "判断", "stem": "小题一", "answer": "对"},
            {"type": "判断", "stem": "小题二", "answer": "对", "articles": ["《行政处罚法》第99条"]},
        ],
    }
    good = rows(3)
    report = bank.import_questions(rows=[*good[:1], (9, case), *good[1:]])
    assert [(e.row, e.message) for e in report.errors] == [
        (9, "第2小题：关联法条“《行政处罚法》第99条”：《中华人民共和国行政处罚法》中没有第99条")
    ]
    assert not Question.objects.exists()


def test_errors_of_both_passes_come_in_row_order(penalty_law):
    data = rows(4)
    data[0][1]["articles"] = ["《行政处罚法》第99条"]  # found when links are looked up
    data[2][1]["answer"] = "Z"  # found when the row is read
    report = bank.import_questions(rows=data)
    assert [e.row for e in report.errors] == [2, 4]


def test_progress_reports_checking_and_saving(penalty_law):
    seen: list[tuple[str, int, int]] = []
    bank.import_questions(rows=rows(1200), progress=lambda *a: seen.append(a))
    assert list(dict.fromkeys(s for s, _, _ in seen)) == ["校验", "保存"]
    assert ("校验", 500, 1200) in seen and ("校验", 1200, 1200) in seen
    assert seen[-1] == ("保存", 1200, 1200)


def test_create_question_uses_the_same_links(penalty_law):
    law, articles = penalty_law
    q = bank.create_question(
        data={"type": "判断", "stem": "单独添加", "answer": "对", "articles": ["《行政处罚法》第5条"]}
    )
    assert list(q.articles.all()) == [articles[4]] and q.law == law
    from fazhi.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="格式应为《法规名称》第N条"):
        bank.create_question(data={"type": "判断", "stem": "另一题", "answer": "对", "articles": ["第5条"]})
