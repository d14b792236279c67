"""fazhi.search: Chinese full-text search shared by every app (Tantivy + rjieba).

Stages: analysis (normalize → cut → filter → expand) · schema/engine (one Tantivy index per
document type) · registry (domain adapters) · outbox (writes → index) · query · highlight.
"""
