"""政府采购合同: the signing and publication dates recorded after the winner is confirmed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bidding", "0003_delete_holiday")]

    operations = [
        migrations.AddField(
            model_name="project",
            name="contract_signed_on",
            field=models.DateField(blank=True, null=True, verbose_name="合同签订日期"),
        ),
        migrations.AddField(
            model_name="project",
            name="contract_published_on",
            field=models.DateField(blank=True, null=True, verbose_name="合同公告日期"),
        ),
    ]
