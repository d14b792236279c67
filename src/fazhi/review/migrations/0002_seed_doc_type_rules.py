"""Default review time limits per document type (an administrator corrects them in the admin)."""

from django.db import migrations

TYPES = ["normative", "major_decision", "contract", "penalty", "procurement", "other"]


def seed(apps, schema_editor):
    DocTypeRule = apps.get_model("review", "DocTypeRule")
    for code in TYPES:
        DocTypeRule.objects.get_or_create(
            doc_type=code,
            defaults={
                "review_days": 5,
                "validity_years": 5,
                "filing_days": 15,
                "note": "默认值：审查 5 个工作日；规范性文件有效期 5 年、公布后 15 日内备案（请按本地规定核对）",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
