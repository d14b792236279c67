"""法规库 read queries."""
