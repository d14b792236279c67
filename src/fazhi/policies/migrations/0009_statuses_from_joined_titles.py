"""Migration 0008 corrected the titles of imported policies but not what the import derives from a title: a
title that calls the policy temporary (人力资源社会保障部 财政部 税务总局关于阶段性减免企业社会保险费的通知, once cut
to 人力资源社会保障部) ends it with the periods its text states, so the policy stayed 有效 while its reposts,
titled in full, were 已失效. For the policies the import identified (not edited by an administrator), the
fields the title feeds, the temporary-measure cue, the periods and the status are derived again as the
import derives them (importer.rederive); a status an administrator set with a reason (status_override)
stays. The changed policies are re-indexed."""

from django.db import migrations


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    from fazhi.policies import importer  # reads the historical rows' values only

    Policy = apps.get_model("policies", "Policy")
    OutboxEntry = apps.get_model("search", "OutboxEntry")
    fields = [*importer.TITLE_FED, *importer.DERIVED]
    read = ("pk", "title", "full_text", "status_override", "conditions_verified", *fields)
    changed = []
    rows = Policy.objects.filter(facets_extracted=True).exclude(external_id=None).only(*read)
    for policy in rows.iterator():
        differ = False
        for name, value in importer.rederive(policy).items():
            if getattr(policy, name) != value:
                setattr(policy, name, value)
                differ = True
        if differ:
            changed.append(policy)
    Policy.objects.bulk_update(changed, fields, batch_size=500)
    OutboxEntry.objects.bulk_create(
        [OutboxEntry(index="policies", object_id=str(p.pk), op="upsert") for p in changed], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [("policies", "0008_titles_joined_headings"), ("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
