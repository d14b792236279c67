"""The department joins the dated history of the staff registry (a transfer between departments is an entry,
so a past date counts the person in the department they were in then). Existing entries take the person's
department as registered now: no earlier one was ever recorded."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def seed(apps, schema_editor):  # noqa: ANN001, ANN201
    StaffPostChange = apps.get_model("exams", "StaffPostChange")
    StaffProfile = apps.get_model("exams", "StaffProfile")
    StaffPostChange.objects.update(
        department=Subquery(StaffProfile.objects.filter(pk=OuterRef("profile_id")).values("department")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("exams", "0011_staff_history_protected")]

    operations = [
        migrations.AddField(
            model_name="staffpostchange",
            name="department",
            field=models.CharField(blank=True, max_length=200, verbose_name="科室/单位"),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
