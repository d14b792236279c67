"""`fazhi data ensure` imports the shared policies once; `fazhi demo setup` is idempotent."""

from __future__ import annotations

import io
from itertools import islice

from fazhi.policies import bootstrap, demo, index
from fazhi.policies.models import EnterpriseProfile, Policy


def test_ensure_data_imports_and_indexes_once(db, settings, tmp_path):
    src = settings.FAZHI_DATA_DIR / "policies" / "ncpqa-policies.jsonl"
    data_dir = tmp_path / "data"
    (data_dir / "policies").mkdir(parents=True)
    with src.open(encoding="utf-8") as fh:
        (data_dir / "policies" / "ncpqa-policies.jsonl").write_text("".join(islice(fh, 5)), encoding="utf-8")
    settings.FAZHI_DATA_DIR = data_dir
    out = io.StringIO()
    bootstrap.ensure_data(out)
    assert Policy.objects.count() == 5
    assert index.adapter.index.num_docs() == 5
    bootstrap.ensure_data(out)
    assert "跳过" in out.getvalue()
    assert Policy.objects.count() == 5


def test_demo_setup_is_idempotent(db, enterprise):
    enterprise.username = "enterprise"
    enterprise.save()
    demo.setup_demo(io.StringIO())
    demo.setup_demo(io.StringIO())
    assert Policy.objects.filter(external_id=demo.DEMO_ID).count() == 1
    assert EnterpriseProfile.objects.get(owner=enterprise).size == "小型"


def test_the_demo_enterprise_meets_every_condition_of_the_demo_policy(db, enterprise):
    from fazhi.policies import matching

    enterprise.username = "enterprise"
    enterprise.save()
    demo.setup_demo(io.StringIO())
    policy = Policy.objects.get(external_id=demo.DEMO_ID)
    result = matching.evaluate(policy, EnterpriseProfile.objects.get(owner=enterprise))
    assert result.eligible and not result.unknown and not result.unmet
