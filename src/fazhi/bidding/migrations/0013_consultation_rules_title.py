"""财库〔2014〕214号 is 《政府采购竞争性磋商采购方式管理暂行办法》: the rules shipped until now wrote
…管理办法 (without 暂行) in the bases of `committee_size` (竞争性磋商) and `price_weight_max`. Stored rules get
the right title wherever the old one appears (value and source); nothing else changes."""

import json

from django.db import migrations

OLD = "《政府采购竞争性磋商采购方式管理办法》"
NEW = "《政府采购竞争性磋商采购方式管理暂行办法》"


def _replace(old, new):
    def run(apps, schema_editor):
        Rule = apps.get_model("bidding", "Rule")
        for row in Rule.objects.all():
            value = json.dumps(row.value, ensure_ascii=False)
            if old in value or old in row.source or old in row.note:
                row.value = json.loads(value.replace(old, new))
                row.source = row.source.replace(old, new)
                row.note = row.note.replace(old, new)
                row.save(update_fields=["value", "source", "note"])

    return run


forwards = _replace(OLD, NEW)
backwards = _replace(NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("bidding", "0012_chinese_labels")]

    operations = [migrations.RunPython(forwards, backwards)]
