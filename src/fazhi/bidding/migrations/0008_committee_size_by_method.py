"""The rule `committee_size` becomes one entry per procurement method.

87号令第四十七条 (5 or more, 7 from 1000万元) covers 公开招标 and 邀请招标 only; 竞争性谈判 and 询价 follow
74号令第七条 and 竞争性磋商 follows 财库〔2014〕214号第十四条 (3 or more). An installed database keeps the
values its administrator set for the tender methods; the other methods get the shipped defaults. A database
without the row is left alone: the rule then comes from bidding/data/rules.yaml (and `fazhi data ensure`).

`price_weight_min` keeps its values (the floors are the same under 214号第二十四条); its source is extended
when it is still the shipped text.
"""

from django.db import migrations

BASIS_87 = "财政部令第87号《政府采购货物和服务招标投标管理办法》第四十七条"
BASIS_74 = "财政部令第74号《政府采购非招标采购方式管理办法》第七条"
BASIS_214 = "财库〔2014〕214号《政府采购竞争性磋商采购方式管理办法》第十四条"
NON_TENDER_74 = {
    "min_size": 3,
    "odd": True,
    "large_budget": {"goods": 4000000, "services": 4000000, "works": 4000000},
    "large_min_size": 5,
    "expert_share": [2, 3],
    "basis": BASIS_74,
}
CONSULTATION_214 = {"min_size": 3, "odd": True, "expert_share": [2, 3], "basis": BASIS_214}
TITLE = "评审委员会人数（评标委员会、竞争性谈判小组、询价小组、磋商小组），按采购方式"
SOURCE = "公开招标、邀请招标：财政部令第87号第四十七条；竞争性谈判、询价：财政部令第74号第七条；竞争性磋商：财库〔2014〕214号第十四条"
NOTE = (
    "招标：5人以上单数，评审专家不少于三分之二，预算1000万元以上的（技术复杂、社会影响较大的项目同样）为7人以上单数，"
    "由经办人按项目情况设定。竞争性谈判、询价：3人以上单数，评审专家不少于三分之二；达到公开招标数额标准的货物、服务项目，"
    "或达到招标规模标准的政府采购工程，为5人以上单数。公开招标数额标准各省不同（中央预算单位为200万元，地方多为400万元），"
    "此处默认400万元，请按本省公布的标准核对修改；工程的招标规模标准默认400万元（《必须招标的工程项目规定》施工单项合同估算价），"
    "请核对。竞争性磋商：3人以上单数，评审专家不少于三分之二。"
)
OLD_TITLE = "评标委员会人数"
OLD_SOURCE = "财政部令第87号《政府采购货物和服务招标投标管理办法》第四十七条"
OLD_NOTE = "技术复杂、社会影响较大的项目同样应为7人以上单数，由经办人按项目情况设定。"
PRICE_SOURCE_OLD = "财政部令第87号第五十五条"
PRICE_SOURCE_NEW = "财政部令第87号第五十五条；竞争性磋商：财库〔2014〕214号第二十四条"


def forwards(apps, schema_editor):
    Rule = apps.get_model("bidding", "Rule")
    row = Rule.objects.filter(key="committee_size").first()
    if row is not None and isinstance(row.value, dict) and "min_size" in row.value:
        tender = {**row.value, "basis": BASIS_87}
        row.value = {
            "open_tender": tender,
            "invited_tender": dict(tender),
            "competitive_negotiation": dict(NON_TENDER_74),
            "inquiry": dict(NON_TENDER_74),
            "competitive_consultation": dict(CONSULTATION_214),
        }
        row.title, row.source, row.note = TITLE, SOURCE, NOTE
        row.save()
    Rule.objects.filter(key="price_weight_min", source=PRICE_SOURCE_OLD).update(source=PRICE_SOURCE_NEW)


def backwards(apps, schema_editor):
    Rule = apps.get_model("bidding", "Rule")
    row = Rule.objects.filter(key="committee_size").first()
    if row is not None and isinstance(row.value, dict) and "open_tender" in row.value:
        tender = {k: v for k, v in row.value["open_tender"].items() if k != "basis"}
        row.value = tender
        row.title, row.source, row.note = OLD_TITLE, OLD_SOURCE, OLD_NOTE
        row.save()
    Rule.objects.filter(key="price_weight_min", source=PRICE_SOURCE_NEW).update(source=PRICE_SOURCE_OLD)


class Migration(migrations.Migration):
    dependencies = [("bidding", "0007_corrections")]

    operations = [migrations.RunPython(forwards, backwards)]
