"""数据看板与年度报告 read queries."""
