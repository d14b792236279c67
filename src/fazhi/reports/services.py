"""数据看板与年度报告 writes: every rule and every write lives here."""
