"""惠企政策 writes: every rule and every write lives here."""
