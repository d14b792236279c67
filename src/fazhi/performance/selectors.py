"""预算绩效 read queries."""
