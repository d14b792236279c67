"""惠企政策 models."""
