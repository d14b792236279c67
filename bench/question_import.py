#!/usr/bin/env python
"""题库 import: build a JSON file and an Excel workbook of N questions and time reading and importing them.

  .venv/bin/python bench/question_import.py [--rows 20000] [--var /tmp/fazhi-bench-questions]

Works on a fresh database in its own var directory (FAZHI_VAR_DIR is set before Django starts). The
database holds one law with 50 articles; every question names the law, cites one of its articles in two
ways and carries two knowledge points; one row in twenty is a 案例 with two sub-questions.

Prints, for each file: the reading time (question_files.parse_upload), the import time and its SQL
queries, and what was created; then a second import of the JSON file (every row a duplicate).

Measured 2026-12-06 (SQLite, 2 cores), this bench on the code before and after the bulk import:
  --rows 2000, before (each question written alone, its law and articles looked up per row):
    json first import 12.9 s, 27,961 queries; again (all duplicates) 13.0 s, 17,302 queries;
    xlsx read 0.5 s, import 18.8 s, 27,844 queries. 20,000 rows would have run for minutes, far past
    the 120 s web timeout the import page ran under.
  --rows 2000, after (the links of the whole file looked up together, bulk INSERTs):
    json 0.7 s, 59 queries; again 0.2 s, 6 queries; xlsx read 0.4 s, import 0.6 s, 58 queries.
  --rows 20000, after: json read 0.2 s, import 5.4 s, 487 queries; again 1.2 s, 6 queries;
    xlsx (1.3 MB, 22,000 sheet rows) read 3.9 s, import 6.1 s, 486 queries.
  The import page now runs it as a 后台任务 with its progress shown (fazhi.core.jobs).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from pathlib import Path


def build_rows(n: int) -> list[dict]:
    rows: list[dict] = []
    for i in range(n):
        article = i % 50 + 1
        row = {
            "type": "单选",
            "stem": f"第{i}题：依照行政处罚法，关于第{article}条的说法正确的是",
            "options": {"A": f"说法甲{i}", "B": "说法乙", "C": "说法丙", "D": "说法丁"},
            "answer": "A",
            "explanation": "见条文。",
            "difficulty": i % 5 + 1,
            "knowledge_points": [f"知识点{i % 40}", "行政处罚"],
            "articles": [f"《行政处罚法》第{article}条", f"《中华人民共和国行政处罚法》第{article}条"],
            "law": "行政处罚法",
        }
        if i % 20 == 0:
            row = {
                "type": "案例",
                "stem": f"案例{i}：某局对甲公司作出罚款决定……",
                "law": "行政处罚法",
                "sub_questions": [
                    {"type": "判断", "stem": f"案例{i}小题一：应告知听证权利", "answer": "对"},
                    {"type": "判断", "stem": f"案例{i}小题二：可以当场收缴", "answer": "错",
                     "articles": [f"《行政处罚法》第{article}条"]},
                ],
            }  # fmt: skip
        rows.append(row)
    return rows


def build_workbook(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("试题")
    header = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "难度", "知识点", "关联法条",
              "所属法规", "案例编号", "所属案例"]  # fmt: skip
    ws.append(header)
    for i, r in enumerate(rows):
        if r["type"] == "案例":
            ws.append(
                [
                    "案例",
                    r["stem"],
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    r["law"],
                    f"K{i}",
                    None,
                ]
            )
            for sub in r["sub_questions"]:
                ws.append(["判断", sub["stem"], None, None, None, None, sub["answer"], None, None, None,
                           "、".join(sub.get("articles", [])), None, None, f"K{i}"])  # fmt: skip
            continue
        o = r["options"]
        ws.append(["单选", r["stem"], o["A"], o["B"], o["C"], o["D"], r["answer"], r["explanation"], r["difficulty"],
                   "、".join(r["knowledge_points"]), "、".join(r["articles"]), r["law"], None, None])  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--var", default="/tmp/fazhi-bench-questions")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import fresh_db

    fresh_db.setup(args.var)
    from django.db import connection

    from fazhi.exams.models import Question
    from fazhi.exams.services import bank, question_files
    from fazhi.laws.models import Article, Law, LawVersion

    law = Law.objects.create(title="中华人民共和国行政处罚法", norm_title="行政处罚法", level="law")
    version = LawVersion.objects.create(law=law, text="…", text_hash="h", is_latest=True, status="in_force")
    Article.objects.bulk_create(
        Article(version=version, law=law, number=n, label=f"第{n}条", ordinal=n, text=f"条文{n}")
        for n in range(1, 51)
    )
    rows = build_rows(args.rows)
    files = {
        "json": json.dumps(rows, ensure_ascii=False).encode(),
        "xlsx": build_workbook(rows),
    }

    def run(label: str, data: bytes) -> None:
        t = time.perf_counter()
        parsed = question_files.parse_upload(data)
        read_s = time.perf_counter() - t
        count = [0]

        def counted(execute, sql, params, many, context):  # noqa: ANN001, ANN202
            count[0] += 1
            return execute(sql, params, many, context)

        t = time.perf_counter()
        with connection.execute_wrapper(counted):
            report = bank.import_questions(rows=parsed)
        import_s = time.perf_counter() - t
        print(
            f"{label}: {len(data) / 1024:.0f} KB, {len(parsed)} rows; read {read_s:.1f} s; import {import_s:.1f} s, "
            f"{count[0]} queries; {report.summary()} questions in the bank: {Question.objects.count()}",
            flush=True,
        )

    run("json (first import)", files["json"])
    run("json (again: all duplicates)", files["json"])
    Question.objects.all().delete()
    run("xlsx (first import)", files["xlsx"])


if __name__ == "__main__":
    main()
