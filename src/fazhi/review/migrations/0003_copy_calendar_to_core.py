"""Move 节假日安排 from review.CalendarDay to the one platform calendar, core.CalendarDay.

For a date also listed by bidding.Holiday the review row wins (whichever of the two migrations runs first);
the bidding name is kept only when the review row has none and both agree on the kind.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Old = apps.get_model("review", "CalendarDay")
    New = apps.get_model("core", "CalendarDay")
    existing = {row.date: row for row in New.objects.all()}
    for old in Old.objects.order_by("date"):
        row = existing.get(old.date)
        if row is None:
            New.objects.create(date=old.date, kind=old.kind, name=old.name)
            continue
        name = old.name or (row.name if row.kind == old.kind else "")
        if (row.kind, row.name) != (old.kind, name):
            row.kind, row.name = old.kind, name
            row.save(update_fields=["kind", "name"])


def backwards(apps, schema_editor):
    Old = apps.get_model("review", "CalendarDay")
    New = apps.get_model("core", "CalendarDay")
    for row in New.objects.order_by("date"):
        Old.objects.update_or_create(date=row.date, defaults={"kind": row.kind, "name": row.name})


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0002_seed_doc_type_rules"),
        ("core", "0002_calendarday"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
