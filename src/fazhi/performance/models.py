"""预算绩效 models."""
