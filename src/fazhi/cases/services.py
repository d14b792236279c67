"""以案释法与普法 writes: every rule and every write lives here."""
