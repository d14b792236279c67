"""The bidding copy of the holiday list is gone; fazhi.core.workdays reads core.CalendarDay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("bidding", "0002_copy_holidays_to_core")]

    operations = [migrations.DeleteModel(name="Holiday")]
