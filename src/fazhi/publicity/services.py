"""普法 writes."""
