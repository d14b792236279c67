"""Field extraction from policy texts: 落款 date, 有效期, 申报期, 咨询电话, 文号 citations, issuer, level and region.

The texts are written here (shaped like the 2020 documents), not copied from the shared data; one test
reads the real file to check that coverage does not fall back.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from fazhi.policies import extract, importer
from fazhi.policies.models import Policy


def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


# --- 1. the published date comes from the 落款, never from a period inside a sentence ----------------
@pytest.mark.parametrize(
    "text",
    [
        "某市阶段性降低失业保险费率 单位费率及职工个人费率均为0.5%，执行至2021年7月31日。对不裁员的企业予以返还。",
        "某景区免门票 景区将于疫情结束恢复营业后至2020年12月31日，对医务工作者免门票。",
        "中小微企业可享受社保补贴 企业可于2020年5月1日起通过官网申请补贴。",
        "税收优惠政策指引 近日，财税部门联合发布系列公告，明确自2020年1月1日起实施一系列优惠政策。",
        "医保缴费 参保人员在2020年4月30日前足额缴费后，视同连续缴费。",
        "关于暂停现场查询的通知 一、2020年2月3日起暂停现场查询。",
    ],
)
def test_a_date_inside_a_period_is_not_the_published_date(text):
    assert extract.extract(text).date is None


def test_the_signature_date_wins_over_a_period_near_the_end():
    ex = extract.extract(
        "关于支持企业的通知 各区： 一、减免房租。 本通知自发布之日起暂执行至2020年6月30日止。 某省发展和改革委员会 2020年2月9日"
    )
    assert ex.date == d("2020-02-09")
    assert ex.issuer == "某省发展和改革委员会"


def test_a_cover_letter_signature_inside_the_text_gives_the_date_and_issuer():
    ex = extract.extract(
        "陕西省人民政府办公厅关于印发若干措施的通知 各设区市人民政府： 《若干措施》已经省政府同意，现印发给你们，请认真贯彻执行。 "
        "陕西省人民政府办公厅 2020年2月16日 陕西省若干措施 一、减免房租。以上政策有效期至2020年12月31日。"
    )
    assert ex.date == d("2020-02-16")
    assert ex.issuer == "陕西省人民政府办公厅"


def test_a_date_under_the_title_and_an_issued_line_are_taken():
    top = extract.extract("关于稳企业稳经济的若干意见 （2020年2月10日） 为深入贯彻……，现提出如下意见。")
    assert top.date == d("2020-02-10")
    issued = extract.extract(
        "关于做好复工的通知 一、加强服务。 抄送：各区。 山东省人民政府办公厅2020年2月12日印发"
    )
    assert issued.date == d("2020-02-12")
    assert issued.issuer == "山东省人民政府办公厅"


def test_a_signature_followed_by_page_furniture_is_still_the_signature():
    ex = extract.extract("关于餐饮复工的通知 正文。 开封市市场监督管理局 2020年2月20日责任编辑：某某")
    assert ex.date == d("2020-02-20")
    assert ex.issuer == "开封市市场监督管理局"


def test_an_issuer_broken_over_two_lines_is_joined():
    ex = extract.extract("关于健康申报的通知 正文。 四川省应对新型冠状病毒 肺炎疫情应急指挥部 2020年2月13日")
    assert ex.issuer == "四川省应对新型冠状病毒肺炎疫情应急指挥部"
    assert (ex.level, ex.region) == ("provincial", "四川省")


def test_a_bare_fragment_is_not_an_issuer():
    assert extract.extract("关于某事的通知 正文。 领导小组办公室 2020年2月10日").issuer == ""


# --- 2. 有效期, 申报期, 咨询电话 -------------------------------------------------------------------------
def test_effective_period_stated_by_the_document():
    ex = extract.extract(
        "关于某事的通知 正文。本通知自2020年2月1日起施行，有效期至2020年12月31日。 某市财政局 2020年1月20日"
    )
    assert (ex.effective_from, ex.effective_to) == (d("2020-02-01"), d("2020-12-31"))


def test_effective_period_as_a_range_and_as_a_span_from_issue():
    ranged = extract.extract("关于某事的通知 一、减免。 执行期限为2020年1月1日至2020年6月30日。")
    assert (ranged.effective_from, ranged.effective_to) == (d("2020-01-01"), d("2020-06-30"))
    span = extract.extract(
        "关于某事的通知 一、减免。 本政策自发布之日起施行，施行期暂定为6个月。 泰州市人民政府 2020年2月4日"
    )
    assert (span.effective_from, span.effective_to) == (d("2020-02-04"), d("2020-08-04"))
    months = extract.extract(
        "关于某事的通知 一、减免。 本政策执行期暂定为自发布之日起三个月。 某市人民政府 2020年2月6日"
    )
    assert months.effective_to == d("2020-05-06")
    year_end = extract.extract(
        "关于某事的若干措施 本措施适用于中小微企业，自印发之日起实施，有效期至2020年底。 北京市人民政府办公厅 2020年2月5日"
    )
    assert (year_end.effective_from, year_end.effective_to) == (d("2020-02-05"), d("2020-12-31"))


def test_a_period_of_one_measure_or_an_open_end_is_not_the_documents_period():
    measure = extract.extract(
        "天津降低费率 单位费率均为0.5%，执行至2021年7月31日。 天津市人力资源和社会保障局 2020年2月20日"
    )
    assert measure.effective_to is None
    open_end = extract.extract(
        "关于某事的通告 本通告自发布之日起执行，有效期至疫情解除之日止。 某市指挥部 2020年2月17日"
    )
    assert open_end.effective_to is None
    no_date = extract.extract("关于某事的解读 本政策执行期为自政策发布之日起的3个月。")
    assert (no_date.effective_from, no_date.effective_to) == (None, None)  # the issue date is unknown


def test_application_window():
    ranged = extract.extract("关于申报补贴的通知 一、申报时间：2020年3月1日至3月31日。")
    assert (ranged.apply_start, ranged.apply_end) == (d("2020-03-01"), d("2020-03-31"))
    deadline = extract.extract("关于申报补贴的通知 申报截止时间为2020年4月30日。")
    assert deadline.apply_end == d("2020-04-30")
    request = extract.extract("关于申报补贴的通知 符合条件的企业请于2020年3月15日前提交申请。")
    assert request.apply_end == d("2020-03-15")
    start = extract.extract("补贴 企业可于2020年5月1日起通过官网申请。")
    assert start.apply_start == d("2020-05-01")


def test_tax_filing_deadlines_and_internal_deadlines_are_not_application_windows():
    tax = extract.extract(
        "延长申报期限 2020年2月份纳税申报期限延长至2020年2月24日。对申报有困难的，请于2020年2月28日前申报纳税。"
    )
    assert (tax.apply_start, tax.apply_end) == (None, None)
    internal = extract.extract("贴息 区财政部门审核汇总后于2020年5月15日前报送市财政局。")
    assert internal.apply_end is None
    two = extract.extract("补贴 甲类企业请于2020年3月15日前提交申请。乙类企业请于2020年4月15日前提交申请。")
    assert two.apply_end is None  # two different deadlines: not sure which, so none


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("关于某事的通知 联系电话：010-12345678。", "010-12345678"),
        ("关于某事的通知 咨询电话：0755-8888888、13800138000。", "0755-8888888、13800138000"),
        ("关于某事的通知 联系人及电话：张三，0311—88615047。", "0311-88615047"),
        ("关于某事的通知 纳税服务咨询热线：12366。", "12366"),
        ("关于某事的通知 （联系人：李四；联系电话：18920175880）", "18920175880"),
        ("关于某事的通知 本通知自2020年2月1日起施行。", ""),
        ("关于某事的通知 举报电话：12345。", ""),
    ],
)
def test_contact_phone(text, phone):
    assert extract.extract(text).contact_phone == phone


def test_many_contacts_one_per_measure_are_not_a_policy_phone():
    text = "关于某事的通知 " + " ".join(f"措施{i}（联系人：某某；联系电话：8849{i:04d}）" for i in range(5))
    assert extract.extract(text).contact_phone == ""


# --- 4. 文号: a cited announcement is not the document's own number --------------------------------------
def test_a_cited_announcement_number_is_not_the_own_number():
    ex = extract.extract(
        "（关于进口捐赠物资办理通关手续的公告） 海关总署公告 为确保捐赠物资快速通关，根据《海关法》等规定，"
        "对《慈善捐赠物资免征进口税收暂行办法》（国家税务总局公告2015年第102号）所列物资先登记放行。"
    )
    assert ex.doc_number == ""
    assert ex.issuer == "海关总署"
    assert ex.level == "national"
    cited = extract.extract("关于某事的通知 根据国家税务总局公告2020年第4号，现通知如下。")
    assert cited.doc_number == ""
    cited_bracket = extract.extract(
        "关于某事的通知 按照《关于某事的通知》发改价格〔2020〕258号的要求，现通知如下。"
    )
    assert cited_bracket.doc_number == ""


def test_the_own_announcement_number_is_kept():
    ex = extract.extract(
        "财政部 税务总局关于捐赠税收政策的公告 财政部 税务总局公告2020年第9号 为支持疫情防控……"
    )
    assert ex.doc_number == "税务总局公告2020年第9号"
    joined = extract.extract("关于进口物资免税政策的公告财政部公告2020年第6号 根据……")
    assert joined.doc_number == "财政部公告2020年第6号"


# --- 3 and 5. issuer, level and region ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "level", "region"),
    [
        ("重庆8.2万医师10.3万护士坚守一线 正文。", "provincial", "重庆市"),
        ("江西省人民政府办公厅关于做好就业工作的通知 正文。", "provincial", "江西省"),
        ("广州市商务局将施五方面政策支持电商平台 正文。", "city", "广东省广州市"),
        ("吉林长春：公交实名制让疫情防控可追溯 正文。", "city", "吉林省长春市"),
        ("新疆出台“线上”举措解就业难题 正文。", "provincial", "新疆维吾尔自治区"),
        ("国家税务总局深圳市税务局关于发布办税清单的通告 正文。", "city", "广东省深圳市"),
        ("中国银保监会四川监管局关于暂停现场来访的通知 正文。", "provincial", "四川省"),
        ("关于加强金融服务的通知 正文。 中国人民银行成都分行办公室 2020年2月1日", "provincial", "四川省"),
        ("北京市昌平区经济和信息化局关于落实政策的说明 正文。", "district", "北京市昌平区"),
        ("关于开展督导的通知 正文。 泰州市海陵区行政审批局 2020年2月2日", "district", "江苏省泰州市海陵区"),
        ("国务院办公厅关于延长春节假期的通知 正文。", "national", ""),
        ("财政部 税务总局关于捐赠税收政策的公告 正文。", "national", ""),
        ("关于某事的公告 正文。 国家税务总局 2020年2月10日", "national", ""),
        ("应急管理部调拨物资全力支持湖北疫情防控工作 正文。", "national", ""),
    ],
)
def test_level_and_region_from_issuer_or_title(text, level, region):
    ex = extract.extract(text)
    assert (ex.level, ex.region) == (level, region)


@pytest.mark.parametrize(
    "title",
    [
        "浙江重庆两地医学专家视频连线 正文。",  # two places
        "各地人社部门密集出台系列惠企惠民政策 正文。",
        "上海徐汇上线区级疫情防控系统 正文。",  # a headline names no district
        "泰达医院部分门诊停诊 正文。",
        "怀柔区城市管理委快速部署复工工作 正文。",
    ],
)
def test_no_region_or_a_wrong_one_is_guessed(title):
    ex = extract.extract(title)
    assert ex.region in ("", "上海市")
    assert ex.level != "national"
    if title.startswith(("浙江重庆", "各地")):
        assert (ex.level, ex.region) == ("", "")


def test_issuer_from_the_head_between_title_and_its_repetition():
    ex = extract.extract(
        "关于阶段性降低企业用电成本的通知 国家发展改革委 关于阶段性降低企业用电成本的通知 发改价格〔2020〕258号 各省："
    )
    assert ex.issuer == "国家发展改革委"
    assert ex.doc_number == "发改价格〔2020〕258号"
    assert ex.level == "national"


# --- the real file -------------------------------------------------------------------------------------
# Measured on the 599 policies after these fixes (before: 发文机关 153, 日期 186 of which about 25 were
# periods, 文号 71 of which two were citations, 地区 42, none of the rest). 发文机关 169 → 213 once a headline
# opening with a body ("江西省人民政府印发…", "税务总局：…") and a breadcrumb ("… 最新文件 关于…") were read.
MEASURED = {
    "issuer": 213,
    "date": 174,
    "doc_number": 69,
    "region": 283,
    "effective_from": 27,
    "effective_to": 8,
    "apply_start": 1,
    "apply_end": 2,
    "contact_phone": 24,
}


def test_coverage_on_the_real_policies_and_a_second_import_changes_nothing(db, settings):
    path = settings.FAZHI_DATA_DIR / "policies" / "ncpqa-policies.jsonl"
    if not path.exists():
        pytest.skip("shared policy data not present")
    out = io.StringIO()
    call_command("import_policies", str(path), stdout=out, stderr=io.StringIO(), verbosity=0)
    assert "新增 599" in out.getvalue()
    report = importer.import_policies(path=path)
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 599, [])
    for key, measured in MEASURED.items():
        margin = max(1, measured // 20)
        assert report.found[key] >= measured - margin, (key, report.found[key])
    # the wrong dates of the audit are gone: no 2021 publication, nothing after the data's time
    assert not Policy.objects.filter(published_date__gt=dt.date(2020, 3, 31)).exists()
    customs = Policy.objects.get(title__startswith="关于用于新型冠状病毒感染的肺炎疫情进口捐赠物资")
    assert customs.doc_number == ""
    assert (customs.issuer, customs.level) == ("海关总署", "national")
    assert Policy.objects.filter(regions=["重庆市"]).exists()
    call_command(
        "import_policies", str(path), stdout=(out := io.StringIO()), stderr=io.StringIO(), verbosity=0
    )
    assert "未变 599" in out.getvalue()


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("倡议书（2020年2月26日） 全市父老乡亲：", "倡议书（2020年2月26日）"),
        (
            "武汉市新型肺炎防控指挥部通告（第7号） 武汉市新型肺炎防控指挥部通告（第7号） 为解决",
            "武汉市新型肺炎防控指挥部通告（第7号）",
        ),
        ("关于加强社区防控工作的通知 关于加强社区防控工作的通知 各区：", "关于加强社区防控工作的通知"),
        ("关于做好经费保障工作的通知 关于做好经费保障工 税总函〔2020〕33号", "关于做好经费保障工作的通知"),
        (
            "四川省应急指挥部 四川省应急指挥部 关于做好外出务工人员健康申报的通知 川疫指发",
            "四川省应急指挥部 关于做好外出务工人员健康申报的通知",
        ),
        ("湖北将再建一所应急后备医院 新华社武汉2月12日电（记者 邹伟）作为", "湖北将再建一所应急后备医院"),
        ("（关于用于疫情进口捐赠物资办理通关手续的公告） 正文", "关于用于疫情进口捐赠物资办理通关手续的公告"),
        (
            "关于延长春节假期的通知（国办发明电〔2020〕1号） 各省",
            "关于延长春节假期的通知（国办发明电〔2020〕1号）",
        ),
    ],
)
def test_titles_keep_matched_brackets_drop_repeats_and_datelines(text, title):
    assert extract.split_title(text)[0] == title


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (  # issuers one per line, then the heading with its 文号 glued on
            "人力资源社会保障部 财政部 税务总局关于阶段性减免企业社会保险费的通知人社部发〔2020〕11号 各省、自治区：",
            "人力资源社会保障部 财政部 税务总局关于阶段性减免企业社会保险费的通知",
        ),
        (
            "人力资源社会保障部 财政部 税务总局 各省、自治区、直辖市人民政府：",
            "人力资源社会保障部 财政部 税务总局",
        ),
        (  # a 关于… heading broken over two lines
            "关于加强污染防治资金管理 支持打赢疫情防控阻击战的通知 关于加强污染防治资金管理 支持打赢疫情防控阻击战的通知",
            "关于加强污染防治资金管理 支持打赢疫情防控阻击战的通知",
        ),
        (
            "[区政务服务局]关于推行 “零见面审批”的公告 尊敬的广大市民朋友：",
            "[区政务服务局]关于推行 “零见面审批”的公告",
        ),
        (
            "国家税务总局发布 《新冠肺炎疫情防控税收优惠政策指引》 近日，财税部门联合发布",
            "国家税务总局发布 《新冠肺炎疫情防控税收优惠政策指引》",
        ),
        ("紧急公告 广大市民朋友： 为切实做好", "紧急公告"),  # the salutation opens the body
        (  # a sentence ending in a colon is not a salutation: it stays the title of an untitled notice
            "通 告 为了有效防控新冠肺炎疫情，我市积极组织一批企业转产一次性防护口罩等防护物资，现将口罩配售事宜公告如下： 一、",
            "通 告 为了有效防控新冠肺炎疫情，我市积极组织一批企业转产一次性防护口罩等防护物资，现将口罩配售事宜公告如下：",
        ),
        (
            "（关于用于疫情进口捐赠物资办理通关手续的公告） 海关总署公告 2020年第17号",
            "关于用于疫情进口捐赠物资办理通关手续的公告",
        ),
    ],
)
def test_a_heading_split_over_lines_is_joined_and_stops_at_the_body(text, title):
    """Scraped texts break a heading where the page broke it: the title is the whole heading (seen as 人力资源
    社会保障部 alone, and as 关于充分发挥税收职能作用 without its end), without the body's salutation."""
    assert extract.split_title(text)[0] == title


def test_the_migration_re_extracts_imported_titles_only(db, make_policy):
    import importlib

    from django.apps import apps

    from fazhi.search.models import OutboxEntry

    migration = importlib.import_module("fazhi.policies.migrations.0003_titles_keep_brackets")
    imported = make_policy(
        title="倡议书（2020年2月26日", external_id="d1", full_text="倡议书（2020年2月26日） 全市父老乡亲："
    )
    edited = make_policy(title="管理员改过的标题", external_id="d2", full_text="倡议书（2020年2月26日） 正文")
    Policy.objects.filter(pk=imported.pk).update(facets_extracted=True)
    Policy.objects.filter(pk=edited.pk).update(facets_extracted=False)
    OutboxEntry.objects.all().delete()
    migration.forwards(apps, None)
    assert Policy.objects.get(pk=imported.pk).title == "倡议书（2020年2月26日）"
    assert Policy.objects.get(pk=edited.pk).title == "管理员改过的标题"
    assert list(OutboxEntry.objects.values_list("object_id", flat=True)) == [str(imported.pk)]


def test_the_second_title_migration_joins_headings_of_imported_policies_only(db, make_policy):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("fazhi.policies.migrations.0008_titles_joined_headings")
    text = "人力资源社会保障部 财政部 税务总局关于阶段性减免企业社会保险费的通知人社部发〔2020〕11号 各省："
    imported = make_policy(title="人力资源社会保障部", external_id="d1", full_text=text)
    edited = make_policy(title="管理员改过的标题", external_id="d2", full_text=text)
    Policy.objects.filter(pk=imported.pk).update(facets_extracted=True)
    Policy.objects.filter(pk=edited.pk).update(facets_extracted=False)
    migration._RE_EXTRACT(apps, None)
    assert (
        Policy.objects.get(pk=imported.pk).title
        == "人力资源社会保障部 财政部 税务总局关于阶段性减免企业社会保险费的通知"
    )
    assert Policy.objects.get(pk=edited.pk).title == "管理员改过的标题"


# --- issuers named by headlines, breadcrumb titles ------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "issuer"),
    [
        ("江西省人民政府印发关于有效应对疫情稳定经济增长20条政策措施的通知", "江西省人民政府"),
        ("财政部、农业农村部联合发布通知要求：加快资金拨付", "财政部、农业农村部"),
        ("税务总局：落实落细税收优惠政策", "税务总局"),
        ("审计署再次部署疫情防控资金和捐赠款物专项审计", "审计署"),
        ("国家邮政局启动邮政快递业第二阶段复工复产工作", "国家邮政局"),
        # not bodies of government, or not what they did
        ("河南省新冠肺炎疫情防控工作第十四场新闻发布会召开", ""),
        ("漯河市委书记蒿慧杰到市扶贫办检查指导疫情防控和脱贫攻坚", ""),
        ("五部门：强化疫情防控重点保障企业资金支持", ""),
        ("江西：六大举措保障疫情防控期间就业稳定", ""),
    ],
)
def test_a_headline_opening_with_a_government_body_names_the_issuer(title, issuer):
    assert extract.issuer_from_title(title) == issuer


def test_a_breadcrumb_before_the_heading_is_dropped_from_the_title_and_names_the_issuer():
    ex = extract.extract(
        "国家税务总局辽宁省税务局 最新文件 关于印发辽宁省支持中小企业生产经营若干政策措施的通知 各市税务局："
    )
    assert ex.title == "关于印发辽宁省支持中小企业生产经营若干政策措施的通知"
    assert ex.issuer == "国家税务总局辽宁省税务局"
    ex = extract.extract("山东省人民政府 政策解读 为支持企业……")
    assert (ex.title, ex.issuer) == ("山东省人民政府 政策解读", "山东省人民政府")
