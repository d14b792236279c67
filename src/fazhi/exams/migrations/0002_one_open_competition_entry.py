"""One open competition entry per account and round.

A double click on 开始答题 used to open two entries at once (the second one uncounted), and the
entrant could end up answering the uncounted paper. Before the constraint is added, extra open entries
are removed: an open entry holds only its drawn questions (answers are stored when it is handed in),
so nothing anyone wrote is lost. The counted entry is the one kept, otherwise the earliest.
"""

from django.conf import settings
from django.db import migrations, models


def drop_extra_open_entries(apps, schema_editor):
    CompetitionEntry = apps.get_model("exams", "CompetitionEntry")
    seen = set()
    extra = []
    rows = CompetitionEntry.objects.filter(finished_at__isnull=True).order_by(
        "round_id", "user_id", "-scored", "started_at", "pk"
    )
    for pk, round_id, user_id in rows.values_list("pk", "round_id", "user_id"):
        if (round_id, user_id) in seen:
            extra.append(pk)
        else:
            seen.add((round_id, user_id))
    CompetitionEntry.objects.filter(pk__in=extra).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_extra_open_entries, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="competitionentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("finished_at__isnull", True)),
                fields=("round", "user"),
                name="exams_entry_one_open",
            ),
        ),
    ]
