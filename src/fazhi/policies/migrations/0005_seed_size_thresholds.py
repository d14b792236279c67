"""Seed the 企业划型标准 table with the 300号 thresholds shipped in data/sme_sizes.yaml (an administrator
corrects them in the admin). Rows that already exist are left alone."""

from django.db import migrations


def seed(apps, schema_editor):  # noqa: ANN001, ANN201
    from fazhi.policies import sizing  # the shipped table as plain data, no models

    SizeThreshold = apps.get_model("policies", "SizeThreshold")
    existing = set(SizeThreshold.objects.values_list("industry", "band"))
    SizeThreshold.objects.bulk_create(
        SizeThreshold(**row) for row in sizing.default_rows() if (row["industry"], row["band"]) not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("policies", "0004_size_thresholds")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
