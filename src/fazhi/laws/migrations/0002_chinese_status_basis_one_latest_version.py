"""Existing libraries: 状态依据 in Chinese, and exactly one latest version per law.

- The shared data files carry English maintainer notes as status basis ("latest version in repo; repeal
  NOT verified", …) that the import used to store as they were; they are rewritten in Chinese
  (fazhi.laws.basis). A basis an administrator wrote is left alone.
- Two source records with one title became two versions of one law, both latest and in force (the law
  was listed twice and its articles found twice). The newest stays latest; the others become 已修改
  and their articles are queued for re-indexing (`fazhi data ensure` / `fazhi index process` apply it).
"""

import datetime as dt

from django.db import migrations

from fazhi.laws.basis import SUPERSEDED, public_basis

IN_FORCE, AMENDED = "in_force", "amended"


def forwards(apps, schema_editor):
    LawVersion = apps.get_model("laws", "LawVersion")
    Article = apps.get_model("laws", "Article")
    OutboxEntry = apps.get_model("search", "OutboxEntry")

    translated = []
    for version in LawVersion.objects.exclude(status_basis="").only("pk", "status_basis").iterator():
        chinese = public_basis(version.status_basis)
        if chinese != version.status_basis:
            version.status_basis = chinese
            translated.append(version)
    LawVersion.objects.bulk_update(translated, ["status_basis"], batch_size=500)

    by_law = {}
    for version in LawVersion.objects.only(
        "pk", "law_id", "is_latest", "status", "status_basis", "publish_date", "version_index"
    ).iterator():
        by_law.setdefault(version.law_id, []).append(version)
    changed, restatused = [], []
    for versions in by_law.values():
        latest = [v for v in versions if v.is_latest]
        if len(latest) == 1:
            continue
        keep = max(latest or versions, key=lambda v: (v.publish_date or dt.date.min, v.version_index, v.pk))
        if not keep.is_latest:
            keep.is_latest = True
            changed.append(keep)
        for v in latest:
            if v.pk == keep.pk:
                continue
            v.is_latest = False
            if v.status == IN_FORCE:
                v.status, v.status_basis = AMENDED, SUPERSEDED
                restatused.append(v.pk)
            changed.append(v)
    LawVersion.objects.bulk_update(changed, ["is_latest", "status", "status_basis"])
    article_ids = Article.objects.filter(version_id__in=restatused).values_list("pk", flat=True)
    OutboxEntry.objects.bulk_create([OutboxEntry(index="laws", object_id=str(pk)) for pk in article_ids])


class Migration(migrations.Migration):
    dependencies = [
        ("laws", "0001_initial"),
        ("search", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
