"""Seed the scoring rules in force with the defaults from DOMAIN.md (an administrator edits them)."""

from django.db import migrations


def seed(apps, schema_editor):
    ScoringConfig = apps.get_model("performance", "ScoringConfig")
    if not ScoringConfig.objects.exists():
        ScoringConfig.objects.create(name="现行评分规则", is_current=True)


class Migration(migrations.Migration):
    dependencies = [("performance", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
