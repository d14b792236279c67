"""合法性审查预审 (precheck): the automated legality pre-check of draft documents.

Pure pipeline: paragraphs and sentences → citation resolver → rule families (CITE, POWER, FC, PROC, FORM)
→ findings, deduplicated and ordered. Rules are data (YAML, one file per family, in rules/).
"""
