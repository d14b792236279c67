"""普法 models: articles, videos, campaigns, responsibility lists, activities."""
