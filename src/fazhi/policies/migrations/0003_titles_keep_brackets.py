"""Imported titles lost a closing bracket (倡议书（2020年2月26日), repeated their heading (关于…的通知 关于…的通知)
or took in a news dateline; titles the import extracted (not edited by an administrator) are extracted again
from the text with the corrected rule, and the changed policies re-indexed."""

from django.db import migrations


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    from fazhi.policies import extract  # plain text functions, no models

    Policy = apps.get_model("policies", "Policy")
    OutboxEntry = apps.get_model("search", "OutboxEntry")
    limit = Policy._meta.get_field("title").max_length
    changed = []
    rows = (
        Policy.objects.filter(facets_extracted=True)
        .exclude(external_id=None)
        .only("pk", "title", "full_text")
    )
    for policy in rows.iterator():
        title = extract.split_title(policy.full_text)[0][:limit]
        if title and title != policy.title:
            policy.title = title
            changed.append(policy)
    Policy.objects.bulk_update(changed, ["title"], batch_size=500)
    OutboxEntry.objects.bulk_create(
        [OutboxEntry(index="policies", object_id=str(p.pk), op="upsert") for p in changed], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [("policies", "0002_measures_end"), ("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
