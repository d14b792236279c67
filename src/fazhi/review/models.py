"""合法性审查 models."""
