"""以案释法与普法 read queries."""
