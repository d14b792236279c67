"""Policy.measures_end: the latest end of the execution periods a policy's text states for its measures
(kept on every save); existing policies get it from their text here."""

from django.db import migrations, models


def backfill(apps, schema_editor):  # noqa: ANN001, ANN201
    from fazhi.policies import extract  # plain text functions, no models

    Policy = apps.get_model("policies", "Policy")
    changed = []
    for policy in Policy.objects.filter(effective_to=None).only("pk", "full_text").iterator():
        end = max((p.end for p in extract.stated_periods(policy.full_text)), default=None)
        if end is not None:
            policy.measures_end = end
            changed.append(policy)
    Policy.objects.bulk_update(changed, ["measures_end"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="policy",
            name="measures_end",
            field=models.DateField(
                blank=True,
                editable=False,
                help_text="由正文自动识别",
                null=True,
                verbose_name="正文所列措施最晚届满日",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
