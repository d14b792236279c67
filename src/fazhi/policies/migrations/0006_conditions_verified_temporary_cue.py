"""Policy.conditions_verified: whether an administrator set or confirmed the eligibility conditions (the
imported ones, read from the text, are not: they become 初步符合 in 政策体检); Policy.temporary_cue: the words
that call a policy temporary (阶段性, 疫情防控期间…). measures_end is read again with the wider rules.

Statuses are not changed here: the daily job (policies.daily → refresh_statuses) brings a temporary policy
whose dated periods are over to 已失效 and re-indexes it."""

from django.db import migrations, models


def backfill(apps, schema_editor):  # noqa: ANN001, ANN201
    from fazhi.policies import extract  # plain text functions, no models

    Policy = apps.get_model("policies", "Policy")
    Policy.objects.filter(facets_extracted=True).update(conditions_verified=False)
    changed = []
    for policy in Policy.objects.only("pk", "title", "full_text", "effective_to", "measures_end").iterator():
        end = None
        if policy.effective_to is None:
            end = max((p.end for p in extract.stated_periods(policy.full_text)), default=None)
        cue = extract.temporary_cue(policy.title, policy.full_text)[:40]
        if end != policy.measures_end or cue:
            policy.measures_end, policy.temporary_cue = end, cue
            changed.append(policy)
    Policy.objects.bulk_update(changed, ["measures_end", "temporary_cue"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("policies", "0005_seed_size_thresholds")]

    operations = [
        migrations.AddField(
            model_name="policy",
            name="temporary_cue",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="由标题或正文自动识别",
                max_length=40,
                verbose_name="阶段性措施标志",
            ),
        ),
        migrations.AddField(
            model_name="policy",
            name="conditions_verified",
            field=models.BooleanField(
                default=True,
                help_text="行业、规模、地区等适用条件由管理员设定或核实；导入时从正文识别的为未核实，政策体检只称其“初步符合”",
                verbose_name="适用条件已核实",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
