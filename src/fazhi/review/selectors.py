"""合法性审查 read queries."""
