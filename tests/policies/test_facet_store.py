"""The facet values the list page's counts read per policy (list_facets.policy_values): an edit is read at its
commit; the whole index read after a commit (on a worker thread) keeps what a reading of each policy gives;
Python's collector, paused while values are read, always runs again."""

from __future__ import annotations

import pytest

from fazhi.policies import index, list_facets
from fazhi.policies.models import Policy
from fazhi.search import build, outbox


def test_the_whole_index_read_after_a_commit_keeps_each_policys_own_values(policies, make_policy):
    make_policy(title="多值政策", themes="房租减免、金融支持、房租减免", sizes="小型、微型", level="市")
    make_policy(title="空白政策")
    build.rebuild("policies")
    pks = list(Policy.objects.values_list("pk", flat=True))
    idx = index.adapter.index
    searcher, generation = idx.searcher_and_generation()
    one_by_one = {pk: list_facets._read(searcher, [pk]).get(pk) for pk in pks}
    at = (idx.directory, generation)
    with list_facets._lock:
        list_facets._cache.update(at=at, values={}, shared={})
    list_facets._read_all(at)
    kept = list_facets._cache["values"]
    assert set(kept) == set(pks)
    many = [pk for pk in pks if one_by_one[pk] and len(one_by_one[pk][list_facets.FIELDS["theme"]]) == 2]
    assert many, "the policy with two themes"
    for pk in pks:
        read = one_by_one[pk]
        expected = tuple(tuple(sorted(v)) for v in read) if read else list_facets.NO_VALUES
        assert kept[pk].values == expected, pk
        numbers = sorted(list_facets._value_ids[(i, v)] for i, vs in enumerate(expected) for v in vs)
        assert sorted(kept[pk].ids.tolist()) == numbers


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
