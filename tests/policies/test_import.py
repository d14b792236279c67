"""Importing the shared JSONL: metadata extraction, idempotence, bad lines with line numbers."""

from __future__ import annotations

import io
import json
from itertools import islice

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.policies import extract, importer, services
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
        '{"text": "没有编号"}\n'
        '{"docid": "", "text": "x"}\n'
        "[1, 2]\n"
        '{"docid": "a3"}\n',
        encoding="utf-8",
    )
    report = importer.import_policies(path=path)
    assert report.created == 1
    assert report.errors == [
        "第2行不是有效的 JSON",
        "第3行缺少 docid 字段",
        "第4行：docid 或 text 为空",
        "第5行格式不对：应为一个 JSON 对象",
        "第6行缺少 text 字段",
    ]


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_repeated_docid_is_skipped_and_the_rest_imports(db, tmp_path):
    path = _jsonl(
        tmp_path / "dup.jsonl",
        [
            {"docid": "d1", "text": "关于第一份的通知 正文。"},
            {"docid": "d2", "text": "关于第二份的通知 正文。"},
            {"docid": "d1", "text": "关于第一份的通知 另一份正文。"},
            {"docid": "d3", "text": "关于第三份的通知 正文。"},
        ],
    )
    report = importer.import_policies(path=path)
    assert report.errors == ["第3行：docid d1 与第1行重复，已跳过"]
    assert report.created == 3
    assert Policy.objects.get(external_id="d1").full_text.endswith("正文。")
    assert "另一份" not in Policy.objects.get(external_id="d1").full_text
    # the same holds when the docid is already in the database
    again = importer.import_policies(path=path)
    assert (again.created, again.unchanged, again.errors) == (0, 3, ["第3行：docid d1 与第1行重复，已跳过"])


def test_invalid_utf8_is_reported_by_the_command_and_the_rest_imports(db, tmp_path):
    path = tmp_path / "bytes.jsonl"
    path.write_bytes(
        '{"docid": "u1", "text": "关于甲的通知 正文。"}\n'.encode()
        + b'{"docid": "u2", "text": "\xff\xfe"}\n'
        + '{"docid": "u3", "text": "关于丙的通知 正文。"}\n'.encode()
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("import_policies", str(path), stdout=out, stderr=err, verbosity=0)
    assert "新增 2" in out.getvalue()
    assert "第2行：不是有效的 UTF-8 文本" in err.getvalue()
    assert set(Policy.objects.values_list("external_id", flat=True)) == {"u1", "u3"}


def test_a_docid_longer_than_the_field_is_reported(db, tmp_path):
    limit = Policy._meta.get_field("external_id").max_length
    path = _jsonl(
        tmp_path / "long.jsonl",
        [
            {"docid": "x" * (limit + 1), "text": "关于长编号的通知 正文。"},
            {"docid": "ok", "text": "关于正常的通知 正文。"},
        ],
    )
    report = importer.import_policies(path=path)
    assert report.errors == [f"第1行：docid 超过 {limit} 个字符"]
    assert list(Policy.objects.values_list("external_id", flat=True)) == ["ok"]


def test_a_doc_number_longer_than_the_field_is_not_saved(db, tmp_path, monkeypatch):
    real = importer.extract.extract

    def long_number(text):
        ex = real(text)
        ex.doc_number = "长" * 101
        return ex

    monkeypatch.setattr(importer.extract, "extract", long_number)
    path = _jsonl(tmp_path / "num.jsonl", [{"docid": "n1", "text": "关于文号的通知 正文。"}])
    report = importer.import_policies(path=path)
    assert report.created == 1
    assert report.errors == ["第1行：文号超过 100 个字符，未保存文号（docid n1）"]
    assert Policy.objects.get(external_id="n1").doc_number == ""


def test_the_import_sets_periods_contact_and_status(db, tmp_path):
    text = (
        "某市财政局关于支持小微企业的通知 某财发〔2020〕3号 各有关单位： 一、对小微企业给予补贴。"
        "请于2020年3月15日前提交申请。 联系电话：0755-8888888。 本通知自2020年2月1日起施行，有效期至2020年12月31日。"
        " 某市财政局 2020年2月1日"
    )
    importer.import_policies(path=_jsonl(tmp_path / "p.jsonl", [{"docid": "p1", "text": text}]))
    p = Policy.objects.get(external_id="p1")
    assert (str(p.effective_from), str(p.effective_to), str(p.apply_end)) == (
        "2020-02-01",
        "2020-12-31",
        "2020-03-15",
    )
    assert p.contact_phone == "0755-8888888"
    assert str(p.published_date) == "2020-02-01"
    assert p.status == "expired"  # 2020 policies whose end date is stated have lapsed


def test_reextract_applies_new_rules_to_unchanged_texts(db, tmp_path):
    path = _jsonl(
        tmp_path / "r.jsonl", [{"docid": "r1", "text": "关于某事的公告 正文。 财政部 2020年2月6日"}]
    )
    importer.import_policies(path=path)
    Policy.objects.filter(external_id="r1").update(written_date=None, published_date=None)
    assert importer.import_policies(path=path).unchanged == 1
    report = importer.import_policies(path=path, reextract=True)
    assert report.updated == 1
    assert str(Policy.objects.get(external_id="r1").published_date) == "2020-02-06"
    assert importer.import_policies(path=path, reextract=True).unchanged == 1


def test_reextract_keeps_what_an_administrator_corrected_unless_forced(sysadmin, tmp_path):
    text = "关于某事的公告 正文。 财政部 2020年2月6日"
    path = _jsonl(
        tmp_path / "r.jsonl",
        [{"docid": "r1", "text": text}, {"docid": "r2", "text": "另一份公告 正文。 财政部 2020年3月1日"}],
    )
    importer.import_policies(path=path)
    policy = Policy.objects.get(external_id="r1")
    services.save_policy(
        actor=sysadmin, policy=policy, values={"title": policy.title, "issuer": "武汉市财政局"}
    )
    Policy.objects.filter(external_id="r2").update(written_date=None)  # as an older extraction left it

    out = io.StringIO()
    call_command("import_policies", str(path), "--reextract", stdout=out, stderr=io.StringIO(), verbosity=0)

    assert Policy.objects.get(external_id="r1").issuer == "武汉市财政局"
    assert "更新 1，" in out.getvalue() and "管理员修改过的 1 条保留未动" in out.getvalue()
    assert str(Policy.objects.get(external_id="r2").written_date) == "2020-03-01"
    report = importer.import_policies(path=path, reextract=True, force=True)
    assert (report.updated, report.corrected) == (1, 0)
    assert Policy.objects.get(external_id="r1").issuer == "财政部"


def test_reextract_keeps_conditions_an_administrator_verified_unless_forced(db, tmp_path):
    text = "关于支持小微企业的通知 对小型微型企业给予补贴。 财政部 2020年2月6日"
    path = _jsonl(tmp_path / "v.jsonl", [{"docid": "v1", "text": text}])
    importer.import_policies(path=path)
    identified = Policy.objects.get(external_id="v1")
    assert identified.sizes and not identified.conditions_verified
    # The administrator confirmed the conditions (the 已核实 box, sizes narrowed by hand in the same save
    # of an older version that left facets_extracted on); an older extraction also left the date out.
    Policy.objects.filter(pk=identified.pk).update(
        conditions_verified=True, sizes=["微型"], written_date=None
    )

    assert importer.import_policies(path=path, reextract=True).updated == 1
    kept = Policy.objects.get(pk=identified.pk)
    assert (kept.conditions_verified, kept.sizes, str(kept.written_date)) == (True, ["微型"], "2020-02-06")
    assert importer.import_policies(path=path, reextract=True).unchanged == 1

    importer.import_policies(path=path, reextract=True, force=True)
    forced = Policy.objects.get(pk=identified.pk)
    assert (forced.conditions_verified, forced.sizes) == (False, identified.sizes)


def test_force_without_reextract_is_refused(db, sample):
    with pytest.raises(CommandError, match="--force 须与 --reextract 一起使用"):
        call_command("import_policies", str(sample), "--force", stdout=io.StringIO(), verbosity=0)
    assert not Policy.objects.exists()


def test_the_command_reports_counts_and_what_was_found(db, sample):
    out = io.StringIO()
    call_command("import_policies", str(sample), stdout=out, stderr=io.StringIO(), verbosity=0)
    text = out.getvalue()
    assert "新增 15" in text
    for label in (
        "发文机关",
        "日期",
        "文号",
        "地区",
        "有效期起",
        "有效期止",
        "申报开始",
        "申报截止",
        "咨询电话",
    ):
        assert f"{label} " in text


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


def test_html_entities_in_the_text_become_characters(db, tmp_path):
    text = "关于转发&lt;江西省若干措施&gt;的通知 &ldquo;六稳&rdquo;工作 deptCode=1&amp;x=2"
    importer.import_policies(path=_jsonl(tmp_path / "e.jsonl", [{"docid": "e1", "text": text}]))
    policy = Policy.objects.get(external_id="e1")
    assert "<江西省若干措施>" in policy.title + policy.full_text
    assert (
        "“六稳”" in policy.full_text
        and "deptCode=1&x=2" in policy.full_text
        and "&lt;" not in policy.full_text
    )


def test_imported_policies_carry_the_end_of_their_dated_measures(db, tmp_path):
    path = _jsonl(
        tmp_path / "dated.jsonl",
        [
            {"docid": "d1", "text": "关于阶段性减免房租的通知 自2020年2月1日起至6月30日止，免收房租。"},
            {"docid": "d2", "text": "关于长期支持的通知 正文。"},
        ],
    )
    importer.import_policies(path=path)
    ends = dict(Policy.objects.values_list("external_id", "measures_end"))
    assert ends["d1"].isoformat() == "2020-06-30" and ends["d2"] is None


def test_reextract_derives_the_status_again_from_a_title_saved_around_the_import(db, tmp_path):
    """A migration corrects a title without deriving what the import derives from it (as 0008 did): the text
    and every field read from it are unchanged, yet the status and the temporary-measure cue are stale.
    --reextract derives them again; a second run finds nothing to do."""
    text = "关于阶段性减免企业社会保险费的通知 一、自2020年2月起，免征中小微企业三项社会保险单位缴费部分，免征期限不超过5个月。"
    path = _jsonl(tmp_path / "t.jsonl", [{"docid": "t1", "text": text}])
    importer.import_policies(path=path)
    assert Policy.objects.get(external_id="t1").status == "expired"
    Policy.objects.filter(external_id="t1").update(
        status="valid", temporary_cue=""
    )  # as the cut title left them
    assert importer.import_policies(path=path).unchanged == 1  # a plain import leaves unchanged texts alone
    assert importer.import_policies(path=path, reextract=True).updated == 1
    policy = Policy.objects.get(external_id="t1")
    assert (policy.status, policy.temporary_cue) == ("expired", "阶段性")
    assert importer.import_policies(path=path, reextract=True).unchanged == 1
