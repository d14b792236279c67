import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from fazhi.core.errors import ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.exams.models import Question
from fazhi.exams.services import bank, question_files

pytestmark = pytest.mark.django_db


def test_a_file_with_bad_rows_imports_nothing_and_names_every_bad_row():
    rows = question_files.parse_json(json.dumps([
        {"type": "single", "stem": "合法的题", "options": ["甲", "乙"], "answer": "A"},
        {"type": "single", "stem": "", "options": ["甲", "乙"], "answer": "A"},
        {"type": "single", "stem": "答案不在选项中", "options": ["甲", "乙"], "answer": "D"},
        {"type": "essay", "stem": "未知题型"},
        {"type": "multiple", "stem": "多选只有一个答案", "options": ["甲", "乙", "丙"], "answer": "B"},
    ]).encode())  # fmt: skip
    report = bank.import_questions(rows=rows)
    assert not report.ok and report.created == 0
    assert [e.row for e in report.errors] == [2, 3, 4, 5]
    assert "题干不能为空" in str(report.errors[0])
    assert "答案 D 不在选项 A、B 中" in report.errors[1].message
    assert "题型“essay”无效" in report.errors[2].message
    assert "至少要有两个正确答案" in report.errors[3].message
    assert not Question.objects.exists()


def test_duplicates_are_skipped_within_the_file_and_against_the_bank(question_bank):
    before = Question.objects.count()
    rows = [
        (1, {"type": "judge", "stem": "判断题0：罚款属于行政处罚", "answer": "对"}),  # in the bank already
        (2, {"type": "judge", "stem": "新的 判断题。", "answer": "错"}),
        (
            3,
            {"type": "judge", "stem": "新的判断题", "answer": "错"},
        ),  # same after removing spaces/punctuation
    ]
    report = bank.import_questions(rows=rows)
    assert report.ok and report.created == 1 and report.duplicates == [1, 3]
    assert Question.objects.count() == before + 1
    assert AuditEvent.objects.filter(action="import", object_type="exams.Question").exists()


def test_a_case_question_keeps_its_sub_questions():
    report = bank.import_questions(rows=[(1, {
        "type": "案例", "stem": "案例：某局作出罚款决定。", "knowledge_points": "行政处罚",
        "sub_questions": [
            {"type": "单选", "stem": "第1问", "options": {"A": "是", "B": "否"}, "answer": "A"},
            {"type": "判断", "stem": "第2问", "answer": "×"},
        ],
    })])  # fmt: skip
    assert report.ok
    case = Question.objects.get(type="case")
    subs = list(case.sub_questions.order_by("position"))
    assert [s.type for s in subs] == ["single", "judge"] and subs[1].answer == ["B"]
    assert [p.name for p in subs[0].knowledge_points.all()] == ["行政处罚"]


def test_a_case_without_sub_questions_is_refused():
    with pytest.raises(ValidationFailed, match="至少要有一道小题"):
        bank.clean_question({"type": "case", "stem": "案例"})


def test_an_unknown_article_link_is_a_row_error():
    report = bank.import_questions(
        rows=[(7, {"type": "judge", "stem": "x", "answer": "对", "articles": ["《不存在的法》第一条"]})]
    )
    assert report.errors[0].row == 7 and "法规库中没有《不存在的法》" in report.errors[0].message


def test_article_links_resolve_against_the_law_library():
    from fazhi.laws.models import Article, Law, LawVersion

    law = Law.objects.create(title="中华人民共和国行政处罚法", norm_title="行政处罚法", level="law")
    version = LawVersion.objects.create(law=law, text="…", text_hash="h", is_latest=True, status="in_force")
    art = Article.objects.create(
        version=version, law=law, number=9, label="第九条", ordinal=9, text="行政处罚的种类：……"
    )
    report = bank.import_questions(rows=[(1, {"type": "judge", "stem": "警告是行政处罚", "answer": "对",
                                              "articles": "《行政处罚法》第九条"})])  # fmt: skip
    assert report.ok, report.errors
    q = Question.objects.get(stem="警告是行政处罚")
    assert list(q.articles.all()) == [art] and q.law == law


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "答案", "解析", "难度", "知识点", "案例编号", "所属案例"]


def test_excel_import_with_a_case_and_per_row_errors():
    content = _xlsx([
        HEADER,
        ["单选", "Excel 单选题", "甲", "乙", "丙", "B", "因为乙", 2, "行政许可", None, None],
        ["案例", "Excel 案例", None, None, None, None, None, None, None, "K1", None],
        ["判断", "案例小题", None, None, None, "正确", None, None, None, None, "K1"],
        ["单选", "难度错误", "甲", "乙", None, "A", None, 9, None, None, None],
        ["判断", "孤立小题", None, None, None, "对", None, None, None, None, "K9"],
    ])  # fmt: skip
    report = bank.import_questions(rows=question_files.parse_upload(content))
    assert [(e.row, e.message) for e in report.errors] == [
        (5, "难度 9 超出范围，应为 1 到 5"),
        (6, "所属案例“K9”在本行之前没有出现（先写案例题行）"),
    ]
    assert not Question.objects.exists()
    fixed = _xlsx([HEADER, *[r for r in [
        ["单选", "Excel 单选题", "甲", "乙", "丙", "B", "因为乙", 2, "行政许可", None, None],
        ["案例", "Excel 案例", None, None, None, None, None, None, None, "K1", None],
        ["判断", "案例小题", None, None, None, "正确", None, None, None, None, "K1"],
    ]]])  # fmt: skip
    report = bank.import_questions(rows=question_files.parse_upload(fixed))
    assert report.ok and report.created == 2
    assert Question.objects.get(type="case").sub_questions.get().answer == ["A"]


def test_a_file_that_is_neither_json_nor_excel_is_refused():
    with pytest.raises(ValidationFailed, match="JSON"):
        question_files.parse_upload(b"\xff\xfe\x00garbage")
    with pytest.raises(ValidationFailed, match="Excel"):
        question_files.parse_upload(b"PK\x03\x04not really a zip")


def test_the_shared_jecqa_and_disc_files_import_through_their_adapters():
    jec = list(question_files.jecqa_rows(question_files.shared_file("jecqa-admin-law.jsonl"), limit=30))
    disc = list(
        question_files.disc_rows(
            question_files.shared_file("disc-basic-legal-knowledge-single.csv"), limit=10
        )
    )
    civil = list(
        question_files.disc_rows(question_files.shared_file("disc-civil-service-exam-single.csv"), limit=10)
    )
    report = bank.import_questions(rows=[*jec, *disc, *civil])
    assert report.ok, report.errors[:3]
    assert report.created + len(report.duplicates) == 50
    types = set(Question.objects.filter(source__startswith="JEC-QA").values_list("type", flat=True))
    assert types == {"single", "multiple"}
    assert (
        Question.objects.filter(
            source__startswith="DISC-Law-Eval", knowledge_points__name="法律基础知识"
        ).count()
        == 10
    )


def test_the_import_command_reads_a_slice_of_shared_data(capsys):
    from django.core.management import call_command

    call_command("import_questions", "jecqa", "--limit", "5")
    assert "新增 5 题" in capsys.readouterr().out
    call_command("import_questions", "jecqa", "--limit", "5")
    assert "跳过重复 5 题" in capsys.readouterr().out


def test_the_import_api_is_for_exam_administrators(client, examadmin, clerk, token_for):
    payload = json.dumps([{"type": "judge", "stem": "API 判断题", "answer": "对"}]).encode()
    upload = SimpleUploadedFile("q.json", payload, content_type="application/json")
    r = client.post("/api/v1/exams/questions/import", {"file": upload}, headers=token_for(clerk))
    assert r.status_code == 403
    upload = SimpleUploadedFile("q.json", payload, content_type="application/json")
    r = client.post("/api/v1/exams/questions/import", {"file": upload}, headers=token_for(examadmin))
    assert r.status_code == 200 and r.json()["created"] == 1


def test_the_import_page_shows_row_errors(login, examadmin, outsider):
    bad = SimpleUploadedFile("q.json", json.dumps([{"type": "judge", "stem": ""}]).encode())
    r = login(examadmin).post("/exams/manage/import/", {"file": bad}, follow=True)
    assert r.redirect_chain[-1][0].startswith("/jobs/")  # the import ran as a 后台任务; its page reports
    assert "未完成" in r.content.decode() and "第1行：题干不能为空" in r.content.decode()
    assert login(outsider).get("/exams/manage/import/").status_code == 403


# --- malformed files get row errors, never an error page (M6, L5) -----------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b'"abc"\n"def"\n',
        b"1\n2\n",
        b'[1, "x"]',
        b'{"type": "judge", "stem": "a", "answer": "\xe5\xaf\xb9"}\n[1]\n',
    ],
)
def test_lines_or_items_that_are_not_question_objects_are_row_errors(content):
    report = bank.import_questions(rows=question_files.parse_upload(content))
    assert not report.ok and report.errors
    assert all("不是试题对象" in e.message for e in report.errors)
    assert not Question.objects.exists()


@pytest.mark.parametrize("sub", ["abc", 5, None, ["A"]])
def test_a_sub_question_that_is_not_an_object_is_a_row_error(sub):
    rows = [(1, {"type": "case", "stem": "案例", "sub_questions": [sub]})]
    report = bank.import_questions(rows=rows)
    assert [(e.row, e.message) for e in report.errors] == [
        (1, '第1小题：不是试题对象（应为 {"type": …, "stem": …} 形式）')
    ]


def test_the_import_page_and_api_report_malformed_lines_in_chinese(login, examadmin, client, token_for):
    for content in (b'"abc"\n"def"\n', b'[{"type":"case","stem":"x","sub_questions":[5]}]'):
        upload = SimpleUploadedFile("q.jsonl", content)
        r = login(examadmin).post("/exams/manage/import/", {"file": upload, "dry_run": "1"}, follow=True)
        page = r.content.decode()
        assert "检查试题文件（不导入）" in page and "第1行" in page and "不是试题对象" in page
        upload = SimpleUploadedFile("q.jsonl", content)
        api = client.post("/api/v1/exams/questions/import", {"file": upload}, headers=token_for(examadmin))
        assert api["Content-Type"].startswith("application/json")
        body = api.json()
        assert body["ok"] is False and "不是试题对象" in body["errors"][0]["message"]
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ({"type": "judge", "stem": ["a"], "answer": "对"}, "题干应为文字"),
        ({"type": "single", "stem": "a", "options": [["甲"], {"b": 1}], "answer": "A"}, "选项应为文字"),
        ({"type": "single", "stem": "a", "options": {"A": ["甲"], "B": "乙"}, "answer": "A"}, "选项应为文字"),
        ({"type": "judge", "stem": "a", "answer": "对", "difficulty": 4.9}, "难度“4.9”应为 1 到 5 的整数"),
        ({"type": "judge", "stem": "a", "answer": "对", "difficulty": True}, "应为 1 到 5 的整数"),
        ({"type": None, "stem": "a"}, "题型“（空）”无效"),
        ({"type": ["single"], "stem": "a"}, "题型应为文字"),
        ({"type": "judge", "stem": "a", "answer": [["A"]]}, "答案应为文字"),
        ({"type": "judge", "stem": "a", "answer": "对", "explanation": {"x": 1}}, "解析应为文字"),
        (
            {"type": "judge", "stem": "a", "answer": "对", "knowledge_points": [["行政处罚"]]},
            "知识点应为文字",
        ),
    ],
)
def test_wrongly_typed_fields_are_refused_not_stringified(question, message):
    report = bank.import_questions(rows=[(1, question)])
    assert not report.ok and message in report.errors[0].message
    assert "None" not in report.errors[0].message and "['" not in report.errors[0].message
    assert not Question.objects.exists()


def test_a_whole_number_difficulty_written_as_4_0_is_accepted():
    report = bank.import_questions(
        rows=[(1, {"type": "judge", "stem": "整数难度", "answer": "对", "difficulty": 4.0})]
    )
    assert report.ok and Question.objects.get().difficulty == 4


def test_sub_questions_inherit_the_source_of_their_case():
    report = bank.import_questions(rows=[(1, {
        "type": "case", "stem": "案例", "source": "2025年执法资格考试",
        "sub_questions": [
            {"type": "judge", "stem": "第1问", "answer": "对"},
            {"type": "judge", "stem": "第2问", "answer": "错", "source": "自编"},
        ],
    })])  # fmt: skip
    assert report.ok
    subs = Question.objects.filter(parent__isnull=False).order_by("position")
    assert [s.source for s in subs] == ["2025年执法资格考试", "自编"]


# --- the dry run says what would happen (M7) ----------------------------------------------------------------


def test_a_dry_run_reports_how_many_questions_would_be_added(question_bank, login, examadmin):
    rows = [(1, {"type": "judge", "stem": "只检查的新题", "answer": "对"}),
            (2, {"type": "judge", "stem": "判断题0：罚款属于行政处罚", "answer": "对"})]  # fmt: skip
    before = Question.objects.count()
    report = bank.import_questions(rows=rows, dry_run=True)
    assert report.summary() == "共 2 行，可新增 1 题，跳过重复 1 题（只检查，未导入）。"
    upload = SimpleUploadedFile("q.json", json.dumps([r for _, r in rows]).encode())
    page = login(examadmin).post("/exams/manage/import/", {"file": upload, "dry_run": "1"}, follow=True)
    assert "已完成" in page.content.decode() and "可新增 1 题" in page.content.decode()
    assert "重复（已跳过）的行：2" in page.content.decode()
    assert Question.objects.count() == before
    assert bank.import_questions(rows=rows).summary() == "共 2 行，新增 1 题，跳过重复 1 题。"
