"""学法考试 models."""
