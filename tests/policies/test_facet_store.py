"""The list page's facet counts read each policy's facet values from a stored field of the index
(index.STORED_FACETS): they are the values the index's own terms aggregation gives for every policy (what
list_facets read before), and an index built before the field existed is emptied and filled again."""

from __future__ import annotations

import io

import pytest
import tantivy
from django.core.management import call_command

from fazhi.policies import importer, index, list_facets
from fazhi.policies.models import Policy
from fazhi.search import build, outbox
from fazhi.search.engine import SearchIndex, signature

# The marker an installation's policies index carried before the stored field (var/index/policies).
OLD_MARKER = (
    "1:title/text/True,body/text/True,issuer/keyword/True,level/keyword/True,doc_type/keyword/True,"
    "theme/keyword/True,industry/keyword/True,size/keyword/True,support_type/keyword/True,status/keyword/True,"
    "year/keyword/True,match_industry/keyword/True,match_size/keyword/True,match_region/keyword/True,"
    "published/int/True,apply_end/int/True"
)
OLD_FIELDS = [f for f in index.adapter.fields if f.name != index.STORED_FACETS]


def _aggregated(searcher: tantivy.Searcher, pks: list[int]) -> dict[int, list[tuple[str, ...]]]:
    """Each policy's facet values by a terms aggregation by value, then by policy id (how list_facets read
    them before the stored field), sorted within each field."""
    found: dict[int, list[set[str]]] = {}
    query = tantivy.Query.term_set_query(index.adapter.index.schema, "id", [str(pk) for pk in pks])
    spec = {
        name: {
            "terms": {"field": name, "size": 1_000_000},
            "aggs": {"ids": {"terms": {"field": "id", "size": len(pks)}}},
        }
        for name in index.FACETS
    }
    out = searcher.aggregate(query, spec)
    for i, name in enumerate(index.FACETS):
        for bucket in out.get(name, {}).get("buckets", []):
            for member in bucket["ids"]["buckets"]:
                found.setdefault(int(member["key"]), [set() for _ in index.FACETS])[i].add(str(bucket["key"]))
    return {pk: [tuple(sorted(v)) for v in lists] for pk, lists in found.items()}


def _as_values(lists: list[tuple[str, ...]] | None) -> list[tuple[str, ...]]:
    return lists if lists is not None else [() for _ in index.FACETS]


def _assert_stored_equal_aggregated(pks: list[int]) -> int:
    """Compare, for every policy: the stored field as read, policy_values (the per-commit cache) and the
    values `_read_all` keeps; returns how many policies carry at least one value."""
    searcher = index.adapter.index.searcher()
    aggregated = _aggregated(searcher, pks)
    stored = list_facets._read(searcher, pks)
    assert set(stored) == set(pks)  # every indexed policy, with or without values
    for pk in pks:
        assert [tuple(sorted(v)) for v in stored[pk]] == _as_values(aggregated.get(pk)), pk
    values = list_facets.policy_values(pks)
    assert {pk: list(v) for pk, v in values.items()} == {pk: _as_values(aggregated.get(pk)) for pk in pks}
    # The whole index read after a commit, as the worker thread does it.
    idx = index.adapter.index
    at = (idx.directory, idx.searcher_and_generation()[1])
    with list_facets._lock:
        list_facets._cache.update(at=at, values={}, shared={})
    list_facets._read_all(at)
    kept = list_facets._cache["values"]
    assert set(kept) == set(pks)
    for pk in pks:
        assert list(kept[pk].values) == _as_values(aggregated.get(pk)), pk
        numbers = sorted(list_facets._value_ids[(i, v)] for i, vs in enumerate(kept[pk].values) for v in vs)
        assert sorted(kept[pk].ids.tolist()) == numbers
    return len(aggregated)


def test_stored_values_are_the_aggregated_ones(policies, make_policy):
    # A policy with several values per field (one repeated), and one with none at all.
    make_policy(title="多值政策", themes="房租减免、金融支持、房租减免", sizes="小型、微型", level="市")
    make_policy(title="空白政策")
    build.rebuild("policies")
    pks = list(Policy.objects.values_list("pk", flat=True))
    assert _assert_stored_equal_aggregated(pks) >= 5


@pytest.mark.realdata
def test_stored_values_are_the_aggregated_ones_on_the_shared_data(db):
    if not importer.default_path().exists():
        pytest.skip("shared policy data not present")
    importer.import_policies()
    build.rebuild("policies")
    pks = list(Policy.objects.values_list("pk", flat=True))
    assert len(pks) >= 500
    assert _assert_stored_equal_aggregated(pks) == len(pks)


def test_an_edit_is_read_at_its_commit(policies):
    rent = policies["rent"]
    assert list_facets.policy_values([rent.pk])[rent.pk][list_facets.FIELDS["theme"]] == ("房租减免",)
    Policy.objects.filter(pk=rent.pk).update(themes=["金融支持", "稳岗就业"])
    outbox.enqueue("policies", rent.pk)
    outbox.process()
    assert list_facets.policy_values([rent.pk])[rent.pk][list_facets.FIELDS["theme"]] == (
        "稳岗就业",
        "金融支持",
    )


def _old_index(policies: dict) -> SearchIndex:
    """The policies index as an installation built it before the stored field: its marker and documents."""
    directory = index.adapter.index.directory
    index.adapter.index.clear()
    old = SearchIndex(index.INDEX, OLD_FIELDS, directory=directory)
    with old.writer(heap_size=15_000_000, num_threads=1) as w:
        for p in policies.values():
            w.add_document(old.make_document(str(p.pk), index.policy_document(p)))
    assert (directory / "SCHEMA_VERSION").read_text() == OLD_MARKER == signature(OLD_FIELDS)
    assert old.num_docs() == len(policies)
    index.adapter._index = None  # as a process started after the upgrade opens it
    return old


def test_data_ensure_refills_an_index_built_before_the_stored_field(policies, monkeypatch):
    _old_index(policies)
    assert index.adapter.index.num_docs() == 0  # the changed schema is detected: emptied
    assert (index.adapter.index.directory / "SCHEMA_VERSION").read_text() != OLD_MARKER
    monkeypatch.setattr(
        "fazhi.core.management.commands.data_ensure.run_app_hooks", lambda *args, **kwargs: None
    )
    call_command("data_ensure", stdout=io.StringIO())
    assert index.adapter.index.num_docs() == len(policies)
    pks = [p.pk for p in policies.values()]
    got = dict(
        index.adapter.index.stored_by_id(
            index.adapter.index.searcher(), [str(pk) for pk in pks], "facet_values"
        )
    )
    assert len(got) == len(pks)
    assert _assert_stored_equal_aggregated(pks) == len(pks)


def test_index_rebuild_refills_an_index_built_before_the_stored_field(policies):
    _old_index(policies)
    assert build.rebuild("policies") == len(policies)
    assert _assert_stored_equal_aggregated([p.pk for p in policies.values()]) == len(policies)


def test_the_collector_paused_for_a_reading_runs_again_after_the_last_one_even_on_an_error():
    import gc
    import threading

    assert gc.isenabled()
    with list_facets._collector_paused():
        assert not gc.isenabled()
        inner_done = threading.Event()

        def other_reading() -> None:
            with list_facets._collector_paused():
                assert not gc.isenabled()
            inner_done.set()

        worker = threading.Thread(target=other_reading)
        worker.start()
        worker.join()
        assert inner_done.is_set()
        assert not gc.isenabled()  # the first reading still runs
    assert gc.isenabled()
    with pytest.raises(RuntimeError), list_facets._collector_paused():
        raise RuntimeError("reading failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with list_facets._collector_paused():
            pass
        assert not gc.isenabled()  # not switched on by a reading when it was off before
    finally:
        gc.enable()
