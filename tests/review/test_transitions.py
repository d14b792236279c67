"""Every action from every state for every role: allowed → 200, wrong role → 403, wrong state → 409.

The expected table is written out here independently of fazhi.review.workflow.TABLE. The full matrix calls the
service (the API turns its DomainError into the same status code); test_api.py checks the codes over HTTP.
"""

from __future__ import annotations

import pytest

from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from fazhi.review import services
from fazhi.review.models import Draft, Transition

STATES = [
    "drafting",
    "submitted",
    "in_review",
    "returned",
    "approved",
    "rejected",
    "published",
    "filed",
    "expired",
]
ACTIONS = ["submit", "start_review", "return", "approve", "reject", "publish", "file", "expire"]

# (state, action) → (target, roles allowed) for an ordinary draft.
ALLOWED = {
    ("drafting", "submit"): ("submitted", {"drafter"}),
    ("returned", "submit"): ("submitted", {"drafter"}),
    ("submitted", "start_review"): ("in_review", {"reviewer"}),
    ("in_review", "return"): ("returned", {"reviewer"}),
    ("in_review", "approve"): ("approved", {"reviewer"}),
    ("in_review", "reject"): ("rejected", {"leader"}),
    ("approved", "publish"): ("published", {"drafter", "leader"}),
    ("published", "file"): ("filed", {"drafter", "reviewer"}),
    ("published", "expire"): ("expired", {"reviewer", "leader"}),
    ("filed", "expire"): ("expired", {"reviewer", "leader"}),
}
# A draft marked 重大 is approved by the leader only.
ALLOWED_MAJOR = {**ALLOWED, ("in_review", "approve"): ("approved", {"leader"})}

ROLES = ["drafter", "other_drafter", "reviewer", "leader", "supervisor", "enterprise", "outsider"]


def expected(table, state, action, role):
    """200 if allowed; 409 if the role may do the action but not from this state; else 403."""
    if (state, action) in table and role in table[(state, action)][1]:
        return 200
    may_ever = set().union(*(r for (s, a), (_, r) in table.items() if a == action))
    return 409 if role in may_ever else 403


@pytest.fixture
def people(clerk, other_drafter, reviewer, director, supervisor, enterprise, outsider):
    return {
        "drafter": clerk,
        "other_drafter": other_drafter,
        "reviewer": reviewer,
        "leader": director,
        "supervisor": supervisor,
        "enterprise": enterprise,
        "outsider": outsider,
    }


def check_every_role(people, draft, table, state, action):
    for role in ROLES:
        Draft.objects.filter(pk=draft.pk).update(state=state)
        want = expected(table, state, action, role)
        try:
            services.transition(user=people[role], draft_id=draft.pk, action=action, comment="测试意见")
            got, detail = 200, ""
        except DomainError as exc:
            got, detail = exc.status, exc.message
        assert got == want, (role, state, action, detail)
        if want == 200:
            target = table[(state, action)][0]
            draft.refresh_from_db()
            assert draft.state == target
            last = Transition.objects.filter(draft=draft).last()
            assert (last.from_state, last.to_state, last.comment) == (state, target, "测试意见")
            event = (
                AuditEvent.objects.filter(action="transition", object_id=str(draft.pk))
                .order_by("-seq")
                .first()
            )
            assert event.comment == "测试意见"
        else:
            assert detail
            draft.refresh_from_db()
            assert draft.state == state
            if want == 409:
                assert "不能执行" in detail


# Parametrized by state (each test tries every action for every role) to keep fixture set-up cheap.
@pytest.mark.parametrize("state", STATES)
def test_each_role_gets_exactly_what_the_table_allows(people, make_draft, state):
    draft = make_draft(state)
    for action in ACTIONS:
        check_every_role(people, draft, ALLOWED, state, action)


@pytest.mark.parametrize("state", STATES)
def test_only_the_leader_approves_a_draft_marked_major(people, make_draft, state):
    draft = make_draft(state, major=True)
    check_every_role(people, draft, ALLOWED_MAJOR, state, "approve")
