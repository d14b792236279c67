"""惠企政策 read queries."""
