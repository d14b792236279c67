"""Fixtures for the law library: a few real records read from the shared data (never copied)."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings

LAWS = "laws.jsonl.gz"
JUDICIAL = "extras-judicial.jsonl.gz"
LOCAL = "extras-local.jsonl.gz"

# (file, title, version_index) of the records the tests use; the files are read only up to the last one.
SMALL_LIBRARY = [
    (LAWS, "中华人民共和国预算法", 1),
    (LAWS, "中华人民共和国政府采购法", 1),
    (LAWS, "中华人民共和国预算法实施条例", 1),
    (LAWS, "中华人民共和国道路运输条例", 2),
    (LAWS, "中华人民共和国道路运输条例", 3),
    (JUDICIAL, "最高人民法院关于审理民间借贷案件适用法律若干问题的规定", 1),
    (LOCAL, "上海口岸服务条例", 1),
]


@cache
def _records(file: str, wanted: frozenset[tuple[str, int]]) -> dict[tuple[str, int], dict]:
    path = Path(settings.FAZHI_DATA_DIR) / "laws" / file
    found: dict[tuple[str, int], dict] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            key = (record["title"], int(record.get("version_index") or 1))
            if key in wanted:
                found[key] = record
                if len(found) == len(wanted):
                    break
    return found


def shared_record(file: str, title: str, version_index: int = 1) -> dict:
    """One record of a shared data file (the latest version unless told otherwise)."""
    return dict(_records(file, frozenset({(title, version_index)}))[(title, version_index)])


def shared_records(spec: list[tuple[str, str, int]]) -> list[dict]:
    by_file: dict[str, set[tuple[str, int]]] = {}
    for file, title, idx in spec:
        by_file.setdefault(file, set()).add((title, idx))
    loaded = {f: _records(f, frozenset(keys)) for f, keys in by_file.items()}
    return [dict(loaded[f][(t, i)]) for f, t, i in spec]


def write_jsonl(path: Path, records: list[dict], *, extra_lines: list[str] | None = None) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + list(extra_lines or [])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def small_library(db, tmp_path):
    """Seven real texts imported from a slice written to tmp, with the search index built."""
    from fazhi.laws import services
    from fazhi.search import build

    path = write_jsonl(tmp_path / "slice.jsonl", shared_records(SMALL_LIBRARY))
    report = services.import_laws(path=path)
    build.rebuild("laws")
    return report
