"""Learned ranking for article search (issue #8): priors, vocabulary bridge and a re-ranker.

- `training`: word statistics from the library + stard-train.jsonl → `RankingModel` (`fazhi train ranking`).
- `corpus`: the training data (library articles cut into words, STARD questions mapped onto them).
- `model`: the model's arrays, its files under VAR_DIR/models/, and the per-process lazy cache.
- `priors`: what the model says of a question (bridge expansions, law/chapter priors, title matches).
- `rerank`: query time (deep BM25 retrieval with expansions, then the combined score, with explanations).
- `hooks`: what fazhi.laws.search and the API call (model check, one page of results, explain rights).
- `evaluation`: k-fold cross-validation through the real index.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, TextIO


def train_and_save(
    *,
    stdout: TextIO | None = None,
    path: Path | None = None,
    questions_file: Path | None = None,
    progress: bool = False,
    min_coverage: float = 0.0,
) -> dict[str, Any] | None:
    """Train on the whole training file and write the model; returns the model's summary.

    With `min_coverage`, nothing is written (None returned) when fewer than that share of the training
    questions find their answer articles in the library (a model of another library is useless).
    """
    from fazhi.laws.ranking import model as m
    from fazhi.laws.ranking import training

    started = time.perf_counter()
    corpus = training.load_corpus(_tqdm("切分条文") if progress else None)
    questions = training.load_questions(questions_file or training.training_file(), corpus)
    found = sum(1 for q in questions if q.positions)
    if not questions or found < min_coverage * len(questions):
        if stdout is not None:
            stdout.write(f"训练问题在法规库中只找到 {found}/{len(questions)} 个答案条文，未训练排序模型。\n")
        return None
    model = training.fit(corpus, questions, meta={"trained_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")})
    target = path or m.model_path()
    model.save(target)
    summary = model.meta | {
        "questions_matched": found,
        "seconds": round(time.perf_counter() - started, 1),
        "path": str(target.with_suffix(".npz")),
    }
    if stdout is not None:
        stdout.write(
            f"排序模型：{summary['articles']} 条条文，{summary['laws']} 部法规，{summary['chapters']} 个章节；"
            f"训练问题 {summary['questions']} 个（{found} 个找到了答案条文），用时 {summary['seconds']} 秒。\n"
            f"已写入 {summary['path']}\n"
        )
    return summary


def _tqdm(desc: str):  # noqa: ANN202
    from tqdm import tqdm

    def wrap(it, total):  # noqa: ANN001, ANN202
        return tqdm(it, total=total, desc=desc, unit="条", mininterval=1.0)

    return wrap
