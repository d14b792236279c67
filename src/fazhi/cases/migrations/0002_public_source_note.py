"""Imported cases showed the collector's English remark ("… excerpt truncated.") as 来源说明 on the public
page; replace it with the Chinese note the importer now writes, and re-index every case (the year facet no
longer falls back to the import date)."""

from django.db import migrations

EXCERPT_NOTE = (
    "摘录，全文以原文为准"  # as fazhi.cases.importer.EXCERPT_NOTE (migrations do not import app code)
)


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    Case = apps.get_model("cases", "Case")
    OutboxEntry = apps.get_model("search", "OutboxEntry")
    Case.objects.filter(source_note__iregex=r"excerpt|repost|mirror|copyright").update(
        source_note=EXCERPT_NOTE
    )
    OutboxEntry.objects.bulk_create(
        [
            OutboxEntry(index="cases", object_id=str(pk), op="upsert")
            for pk in Case.objects.values_list("pk", flat=True)
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
