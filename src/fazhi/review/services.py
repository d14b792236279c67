"""合法性审查 writes: every rule and every write lives here."""
