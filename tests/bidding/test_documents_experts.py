"""评标专家库 Excel import with lists as people keep them: IDs typed as numbers or in full width,
merged 工作单位 cells, a hidden sheet in front, 10,000 rows; `fazhi import experts` says what is wrong."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from fazhi.bidding.models import Expert
from fazhi.bidding.services.pools import import_experts, with_check_digit
from fazhi.core.errors import PermissionDenied, ValidationFailed
from tests.bidding.helpers import make_id
from tests.fixtures import office as o

HEAD = ["姓名", "身份证号", "评审专业", "工作单位", "联系电话", "申报关系"]
FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def upload(wb: Workbook, name: str = "专家.xlsx") -> SimpleUploadedFile:
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def sheet(rows) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for row in rows:
        ws.append(row)
    return wb


@pytest.mark.django_db
def test_an_id_typed_into_a_number_cell_is_refused_with_the_reason(buyer, pools):
    # Excel keeps 15 significant digits: 420105198001011239 is stored as 4.20105198001011E+17.
    result = import_experts(
        pool=pools[0], actor=buyer, upload=upload(sheet([["张三", 4.20105198001011e17, "信息技术"]]))
    )
    assert result.errors == [
        (2, "身份证号被 Excel 存成了数字，后几位已丢失；请把该列设为“文本”格式后重新输入身份证号")
    ]
    assert not Expert.objects.exists()


@pytest.mark.django_db
def test_fullwidth_and_spaced_id_numbers_and_numeric_phones_are_read_as_typed(buyer, pools):
    first = make_id()
    # An ID whose check character is X, typed in lower case with spaces between its parts.
    second = next(x for n in range(100) if (x := with_check_digit(f"1101011990030{n:04d}")).endswith("X"))
    rows = [
        ["张三", first.translate(FULLWIDTH), "信息技术", "某大学", 13900000000, ""],
        ["李四", f"{second[:6]} {second[6:14]} {second[14:].lower()}", "工程造价", "某院", "", ""],
    ]
    result = import_experts(pool=pools[0], actor=buyer, upload=upload(sheet(rows)))
    assert result.errors == []
    assert Expert.objects.get(name="张三").id_number == first
    assert Expert.objects.get(name="张三").phone == "13900000000"
    assert Expert.objects.get(name="李四").id_number == second


@pytest.mark.django_db
def test_a_merged_employer_cell_belongs_to_every_row_it_covers(buyer, pools):
    wb = sheet([["张三", make_id(), "信息技术", "汉阳区某大学"], ["李四", make_id(), "信息技术", None]])
    wb.active.merge_cells("D2:D3")
    wb.create_sheet("说明")  # a second sheet is not read
    result = import_experts(pool=pools[0], actor=buyer, upload=upload(wb))
    assert result.errors == []
    assert sorted(Expert.objects.values_list("employer", flat=True)) == ["汉阳区某大学", "汉阳区某大学"]


@pytest.mark.django_db
def test_a_hidden_sheet_in_front_is_not_taken_for_the_list(buyer, pools):
    wb = Workbook()
    hidden = wb.active
    hidden.title = "专业代码"
    hidden.append(["专业", "代码"])
    hidden.sheet_state = "hidden"
    listing = wb.create_sheet("专家名单")
    listing.append(HEAD)
    listing.append(["张三", make_id(), "信息技术"])
    wb.active = 1
    result = import_experts(pool=pools[0], actor=buyer, upload=upload(wb))
    assert (result.created, result.errors) == (1, [])


@pytest.mark.django_db
def test_ten_thousand_rows_import_in_one_go(buyer, pools):
    rows = [
        [f"专家{i}", make_id("1101%02d" % (i % 100)), "信息技术", "某单位", "", ""] for i in range(10_000)
    ]
    result = import_experts(pool=pools[0], actor=buyer, upload=upload(sheet(rows)))
    assert (result.created, result.errors) == (10_000, [])
    assert Expert.objects.filter(pool=pools[0]).count() == 10_000


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "words"),
    [
        (o.old_excel(), "旧版 Excel 97-2003（.xls）或 WPS 表格（.et）格式"),
        (o.encrypted_office(), "设置了打开密码"),
        ("姓名,身份证号\n张三,1\n".encode("gbk"), "是 CSV 或纯文本文件"),
    ],
)
def test_the_command_says_what_is_wrong_with_the_file(buyer, pools, tmp_path, data, words):
    path = tmp_path / "专家.xlsx"
    path.write_bytes(data)
    with pytest.raises(CommandError, match=words):
        call_command("import_experts", pools[0].name, str(path), "--as", buyer.username)
    assert not Expert.objects.exists()


@pytest.mark.django_db
def test_an_empty_sheet_is_refused_with_the_expected_heading(buyer, pools):
    with pytest.raises(ValidationFailed, match="第一个工作表是空的，第 1 行应为表头：姓名、身份证号"):
        import_experts(pool=pools[0], actor=buyer, upload=upload(Workbook()))


@pytest.mark.django_db
def test_an_outsider_cannot_import(outsider, pools):
    with pytest.raises(PermissionDenied):
        import_experts(pool=pools[0], actor=outsider, upload=upload(sheet([["张三", make_id(), "信息技术"]])))
    assert not Expert.objects.exists()


@pytest.mark.django_db
def test_importing_again_updates_experts_and_replaces_their_relations(buyer, pools):
    number = make_id()
    first = import_experts(
        pool=pools[0],
        actor=buyer,
        upload=upload(sheet([["张三", number, "信息技术", "甲单位", "", "甲公司:近亲属"]])),
    )
    again = import_experts(
        pool=pools[0],
        actor=buyer,
        upload=upload(
            sheet(
                [
                    ["张三", number, "工程造价", "乙单位", "", "乙公司:董事监事"],
                    ["李四", make_id(), "信息技术"],
                ]
            )
        ),
    )
    assert (first.created, again.created, again.updated) == (1, 1, 1)
    expert = Expert.objects.get(id_number=number)
    assert (expert.employer, expert.specialties) == ("乙单位", ["工程造价"])
    assert list(expert.relations.values_list("organisation", "ground")) == [("乙公司", "director")]
