"""The review copy of the holiday list is gone; fazhi.core.workdays reads core.CalendarDay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("review", "0003_copy_calendar_to_core")]

    operations = [migrations.DeleteModel(name="CalendarDay")]
