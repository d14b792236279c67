"""The API description names every schema once: two classes of one name in different apps used to overwrite
each other in /api/v1/openapi.json (the law status form was documented with publicity's, without `reason`)."""

from __future__ import annotations

import collections

from django.test import Client
from ninja import Schema


def _all_subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_all_subclasses(sub)]
    return found


def test_no_two_schemas_share_a_name(db):
    Client().get("/api/v1/openapi.json")  # every API module is imported by now
    modules = collections.defaultdict(set)
    for cls in _all_subclasses(Schema):
        if cls.__module__.startswith("fazhi."):
            modules[cls.__name__].add(cls.__module__)
    assert {name: sorted(m) for name, m in modules.items() if len(m) > 1} == {}


def test_the_documented_law_status_form_asks_for_a_reason(db):
    spec = Client().get("/api/v1/openapi.json").json()
    path = next(p for p in spec["paths"] if p.startswith("/api/v1/laws/") and p.endswith("/status"))
    body = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    name = body["$ref"].rsplit("/", 1)[-1]
    assert "reason" in spec["components"]["schemas"][name]["required"]


def test_every_operation_has_a_chinese_summary(db):
    spec = Client().get("/api/v1/openapi.json").json()
    english = [
        f"{method.upper()} {path}: {op.get('summary')}"
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if not any("\u4e00" <= ch <= "\u9fff" for ch in op.get("summary", ""))
    ]
    assert english == []
