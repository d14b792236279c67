"""预算绩效 writes: every rule and every write lives here."""
