"""Move 节假日 from bidding.Holiday to the one platform calendar, core.CalendarDay.

A date already there (copied from review.CalendarDay) keeps the review row; its empty name is filled
from the bidding row when both agree on whether the day is worked.
"""

from django.db import migrations

HOLIDAY, WORKDAY = "holiday", "workday"


def forwards(apps, schema_editor):
    Holiday = apps.get_model("bidding", "Holiday")
    New = apps.get_model("core", "CalendarDay")
    existing = {row.date: row for row in New.objects.all()}
    for old in Holiday.objects.order_by("date"):
        kind = WORKDAY if old.is_workday else HOLIDAY
        row = existing.get(old.date)
        if row is None:
            New.objects.create(date=old.date, kind=kind, name=old.name)
        elif not row.name and row.kind == kind and old.name:
            row.name = old.name
            row.save(update_fields=["name"])


def backwards(apps, schema_editor):
    Holiday = apps.get_model("bidding", "Holiday")
    New = apps.get_model("core", "CalendarDay")
    for row in New.objects.order_by("date"):
        Holiday.objects.update_or_create(
            date=row.date,
            defaults={"name": row.name or ("调休上班" if row.kind == WORKDAY else "节假日"), "is_workday": row.kind == WORKDAY},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("bidding", "0001_initial"),
        ("core", "0002_calendarday"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
