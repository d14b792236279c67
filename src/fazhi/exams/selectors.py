"""学法考试 read queries."""
