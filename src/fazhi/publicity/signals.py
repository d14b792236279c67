"""Uploaded files leave the disk with their record: when the row is deleted, or when the file is replaced
or cleared. Deletion waits for the transaction to commit, so a rolled-back change keeps its file."""

from __future__ import annotations

import logging
from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save

from fazhi.publicity.models import ActivityMaterial, ActivityPhoto, Post, PostImage

log = logging.getLogger(__name__)

FILE_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Post: ("cover", "video", "poster", "captions"),
    PostImage: ("file",),
    ActivityPhoto: ("file",),
    ActivityMaterial: ("file",),
}


def _delete_after_commit(model: type[models.Model], field: str, name: str) -> None:
    storage = model._meta.get_field(field).storage  # type: ignore[union-attr]

    def delete() -> None:
        try:
            storage.delete(name)
        except OSError:
            log.warning("无法删除已不再使用的上传文件：%s", name, exc_info=True)

    transaction.on_commit(delete)


def _remember_files(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    fields = FILE_FIELDS[sender]
    old = sender._default_manager.filter(pk=instance.pk).values(*fields).first() if instance.pk else None
    instance._stored_files = old or {}


def _drop_replaced_files(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    for field, old_name in getattr(instance, "_stored_files", {}).items():
        if old_name and old_name != getattr(instance, field).name:
            _delete_after_commit(sender, field, old_name)
    instance._stored_files = {}


def _drop_files(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    for field in FILE_FIELDS[sender]:
        name = getattr(instance, field).name
        if name:
            _delete_after_commit(sender, field, name)


def connect() -> None:
    for model in FILE_FIELDS:
        uid = f"publicity-files-{model.__name__}"
        pre_save.connect(_remember_files, sender=model, dispatch_uid=uid)
        post_save.connect(_drop_replaced_files, sender=model, dispatch_uid=uid)
        post_delete.connect(_drop_files, sender=model, dispatch_uid=uid)
