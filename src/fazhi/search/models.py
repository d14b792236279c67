"""Search outbox: a write and its outbox row commit together; the indexer applies rows to Tantivy."""

from django.db import models


class OutboxEntry(models.Model):
    """检索索引待更新队列 (one row per changed object)."""

    UPSERT = "upsert"
    DELETE = "delete"

    index = models.CharField("索引", max_length=50, db_index=True)
    object_id = models.CharField("对象ID", max_length=64)
    op = models.CharField("操作", max_length=10, choices=[(UPSERT, "更新"), (DELETE, "删除")], default=UPSERT)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    audit_exempt = True

    class Meta:
        verbose_name = "索引队列"
        verbose_name_plural = "索引队列"
        ordering = ["id"]
