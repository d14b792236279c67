"""法规库 writes: every rule and every write lives here."""
