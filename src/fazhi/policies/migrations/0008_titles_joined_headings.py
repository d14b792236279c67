"""Imported titles stopped where the scraped page broke the heading (人力资源社会保障部 for 人力资源社会保障部
财政部 税务总局关于阶段性减免企业社会保险费的通知, 关于充分发挥税收职能作用 without its end) or kept a 文号 glued to
it; titles the import extracted (not edited by an administrator) are extracted again with the corrected rule,
as migration 0003 did, and the changed policies re-indexed."""

import importlib

from django.db import migrations

_RE_EXTRACT = importlib.import_module("fazhi.policies.migrations.0003_titles_keep_brackets").forwards


class Migration(migrations.Migration):
    dependencies = [("policies", "0007_duplicates"), ("search", "0001_initial")]

    operations = [migrations.RunPython(_RE_EXTRACT, migrations.RunPython.noop)]
