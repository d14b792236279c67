"""普法 reads."""
