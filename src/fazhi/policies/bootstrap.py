"""`fazhi data ensure`: copy the shipped 企业划型标准 into the admin-editable table (idempotent), import the
shared policy documents once (skipped when policies exist), then train the search re-ranker once (skipped
when VAR_DIR/models/policies-ranking.json exists)."""

from __future__ import annotations

from typing import Any

from fazhi.policies import importer, services
from fazhi.policies.models import Policy
from fazhi.search import build


def ensure_data(stdout: Any) -> None:
    added = services.ensure_thresholds()
    stdout.write(f"企业划型标准：{f'新增 {added} 条' if added else '已是最新'}。\n")
    if Policy.objects.exists():
        stdout.write(f"惠企政策：已有 {Policy.objects.count()} 条，跳过导入。\n")
    else:
        path = importer.default_path()
        if not path.exists():
            stdout.write(f"惠企政策：找不到 {path}，跳过。\n")
            return
        report = importer.import_policies(path=path)
        count = build.rebuild("policies")
        stdout.write(f"惠企政策：导入 {report.created} 条（错误 {len(report.errors)}），索引 {count} 条。\n")
    ensure_model(stdout)


def ensure_model(stdout: Any) -> None:
    """Train the re-ranker weights from ncpqa-train when no model file exists (about a minute)."""
    from fazhi.policies import learning, training

    if learning.model_path().exists():
        stdout.write("惠企政策检索模型：已存在，跳过训练。\n")
        return
    path = training.training_file()
    if not path.exists() or not Policy.objects.exists():
        stdout.write("惠企政策检索模型：缺少训练文件或政策，使用默认权重。\n")
        return
    samples = training.collect(training.load_questions(path))
    model = training.train_and_save(samples, training.SHIPPED)
    stdout.write(f"惠企政策检索模型：已训练（{len(samples)} 个问题），权重 {model.weights}。\n")
