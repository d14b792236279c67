"""Policy.duplicate_of: the oldest record of the group of policies whose texts are the same or nearly so
(reposts, fazhi.policies.duplicates); Policy.minhash / minhash_of: the text's MinHash signature and what it
was computed from. The groups of the policies already imported are computed here."""

import django.db.models.deletion
from django.db import migrations, models


def group(apps, schema_editor):  # noqa: ANN001, ANN201
    from fazhi.policies import duplicates  # numpy and text folding; the model is the historical one

    duplicates.refresh_all(model=apps.get_model("policies", "Policy"))


class Migration(migrations.Migration):
    dependencies = [("policies", "0006_conditions_verified_temporary_cue")]

    operations = [
        migrations.AddField(
            model_name="policy",
            name="duplicate_of",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="由正文自动比对：本文件与该文件内容相同或相近（转载）",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="reposts",
                to="policies.policy",
                verbose_name="内容相同或相近的最早收录文件",
            ),
        ),
        migrations.AddField(
            model_name="policy",
            name="minhash",
            field=models.BinaryField(blank=True, null=True, verbose_name="正文指纹"),
        ),
        migrations.AddField(
            model_name="policy",
            name="minhash_of",
            field=models.CharField(
                blank=True, editable=False, max_length=32, verbose_name="正文指纹对应的正文摘要"
            ),
        ),
        migrations.RunPython(group, migrations.RunPython.noop),
    ]
