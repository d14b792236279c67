"""远程异地评标 writes: every rule and every write lives here."""
