"""Importing the shared JSONL: metadata extraction, idempotence, bad lines with line numbers."""

from __future__ import annotations

import io
import json
from itertools import islice

import pytest
from django.core.management import call_command

from fazhi.policies import extract, importer
from fazhi.policies.models import Policy


@pytest.fixture
def sample(tmp_path, settings):
    """The first 15 real policy documents."""
    src = settings.FAZHI_DATA_DIR / "policies" / "ncpqa-policies.jsonl"
    path = tmp_path / "policies.jsonl"
    with src.open(encoding="utf-8") as fh:
        path.write_text("".join(islice(fh, 15)), encoding="utf-8")
    return path


def test_import_is_idempotent(db, sample):
    first = importer.import_policies(path=sample)
    assert (first.created, first.updated, first.errors) == (15, 0, [])
    second = importer.import_policies(path=sample)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 15)
    assert Policy.objects.count() == 15


def test_docid_is_kept_and_the_title_is_the_first_sentence(db, sample):
    importer.import_policies(path=sample)
    row = json.loads(sample.read_text(encoding="utf-8").splitlines()[0])
    policy = Policy.objects.get(external_id=row["docid"])
    assert policy.title == "工业和信息化部组织开展负压救护车重点生产企业督导检查"
    assert policy.facets_extracted


def test_a_changed_text_updates_the_policy(db, sample, tmp_path):
    importer.import_policies(path=sample)
    row = json.loads(sample.read_text(encoding="utf-8").splitlines()[0])
    row["text"] += " 补充说明。"
    changed = tmp_path / "changed.jsonl"
    changed.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    report = importer.import_policies(path=changed)
    assert report.updated == 1
    assert Policy.objects.get(external_id=row["docid"]).full_text.endswith("补充说明。")


def test_bad_lines_are_reported_with_line_numbers(db, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"docid": "a1", "text": "关于测试的通知 正文。"}\n'
        "not json\n"
        '{"docid": "a2"}\n'
        '{"docid": "", "text": "x"}\n',
        encoding="utf-8",
    )
    report = importer.import_policies(path=path)
    assert report.created == 1
    assert [e.split("：")[0] for e in report.errors] == ["第2行无法读取", "第3行无法读取", "第4行无法读取"]


def test_the_command_reports_counts_and_what_was_found(db, sample):
    out = io.StringIO()
    call_command("import_policies", str(sample), stdout=out, stderr=io.StringIO(), verbosity=0)
    text = out.getvalue()
    assert "新增 15" in text
    assert "发文机关" in text and "文号" in text


def test_extraction_finds_doc_number_issuer_and_date():
    text = (
        "绍兴市住房公积金管理中心关于妥善应对新冠肺炎疫情实施住房公积金阶段性支持政策的通知 绍住金〔2020〕4号 "
        "各分中心、各处室： 为深入贯彻中央有关部署…… 特此通知。 绍兴市住房公积金管理中心 2020年2月21日"
    )
    ex = extract.extract(text)
    assert ex.doc_number == "绍住金〔2020〕4号"
    assert (ex.doc_agency_code, ex.doc_year, ex.doc_serial) == ("绍住金", 2020, 4)
    assert ex.issuer == "绍兴市住房公积金管理中心"
    assert str(ex.date) == "2020-02-21"
    assert ex.level == "city"


def test_a_cited_document_number_is_not_taken_as_the_own_number():
    ex = extract.extract("关于复工的通知 根据《通知》（国办发〔2020〕6号）要求，现通知如下。")
    assert ex.doc_number == ""


def test_joint_issuers_are_split():
    ex = extract.extract("关于某事的公告 正文内容。 财政部 税务总局 2020年2月6日")
    assert ex.issuer == "财政部、税务总局"
    assert ex.level == "national"
