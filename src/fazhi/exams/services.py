"""学法考试 writes: every rule and every write lives here."""
