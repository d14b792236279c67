"""SelfEvaluation.weight_execution: the 预算执行率 分值 a self-evaluation was scored with.

The tables printed the 分值 of the rules in force, so a rule change altered published tables. Existing rows
get the current rules' value, which is what they show today; from now on each scoring stores its own.
"""

from decimal import Decimal

from django.db import migrations, models

DEFAULT_WEIGHT = Decimal("10")  # ScoringConfig.weight_execution's default, when no rules are stored


def fill(apps, schema_editor):  # noqa: ANN001, ANN201
    ScoringConfig = apps.get_model("performance", "ScoringConfig")
    SelfEvaluation = apps.get_model("performance", "SelfEvaluation")
    row = ScoringConfig.objects.filter(is_current=True).order_by("-pk").first()
    weight = row.weight_execution if row is not None else DEFAULT_WEIGHT
    SelfEvaluation.objects.filter(weight_execution__isnull=True).update(weight_execution=weight)


class Migration(migrations.Migration):
    dependencies = [("performance", "0004_disclosure_rolls_forward")]

    operations = [
        migrations.AddField(
            model_name="selfevaluation",
            name="weight_execution",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="计分时适用的分值；评分规则修改后，只有重新计分的填报中（含退回修改）的表随之改变。",
                max_digits=6,
                null=True,
                verbose_name="预算执行率分值",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
