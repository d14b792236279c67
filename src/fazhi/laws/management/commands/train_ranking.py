"""`fazhi train ranking [--folds 5]`: train the article-search ranking model (issue #8).

Reads ONLY FAZHI_DATA_DIR/eval/stard-train.jsonl and the articles in the database; writes
VAR_DIR/models/laws-ranking.{npz,json}. With --folds N it first prints the N-fold cross-validation
table (fixed seed) of every ranking variant, then trains on all questions.
"""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "训练条文检索排序模型（法规先验、章节先验、词汇桥、条文热度）"

    def add_arguments(self, parser):
        parser.add_argument("--folds", type=int, default=0, help="先做 N 折交叉验证并打印结果表（如 5）")
        parser.add_argument("--seed", type=int, default=0, help="交叉验证分折的随机种子")
        parser.add_argument("--cv-only", action="store_true", help="只做交叉验证，不写模型文件")

    def handle(self, *args, **options):
        from fazhi.laws import ranking
        from fazhi.laws.models import Article
        from fazhi.laws.ranking import evaluation, training

        if not Article.objects.exists():
            raise CommandError("法规库为空，请先运行 fazhi import laws。")
        path = training.training_file()
        if not path.exists():
            raise CommandError(f"找不到训练文件：{path}")
        folds = options["folds"]
        if folds:
            if folds < 2:
                raise CommandError("--folds 至少为 2。")
            corpus = training.load_corpus(ranking._tqdm("切分条文"))
            questions = training.load_questions(path, corpus)
            rows = evaluation.cross_validate(
                corpus, questions, folds=folds, seed=options["seed"], progress=ranking._tqdm("交叉验证")
            )
            self.stdout.write(f"{folds} 折交叉验证（{len(questions)} 个问题，种子 {options['seed']}）：")
            self.stdout.write(evaluation.format_table(rows))
        if not options["cv_only"]:
            ranking.train_and_save(stdout=self.stdout, progress=True)
