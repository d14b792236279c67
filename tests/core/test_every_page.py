"""Every page and API address of the site (every URL pattern outside /admin/), opened with GET by a visitor and
by a signed-in account without any role: no page fails with a server error, and a page that answers 200
must be one the site means to show them (PUBLIC for visitors, SIGNED_IN for any account). A page added
later without a permission check makes this test fail until it is declared public on purpose. (With an
empty database the pages of one record answer 404 here; their refusals are tested with each app.)"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Pages for everyone (the public portal: 法规库, 惠企政策, 以案释法, 普法, 绩效公开, sign-in and registration).
PUBLIC = {
    "",
    "search",
    "services/",
    "laws/",
    "laws/search",
    "laws/search/",
    "policies/",
    "policies/match/",  # visitors may try 政策体检 without saving anything
    "cases/",
    "cases/search/",
    "publicity/",
    "publicity/posts/",
    "publicity/calendar/",
    "publicity/responsibility/",  # 普法责任清单 are published openly (keeping them is not)
    "publicity/responsibility/<int:pk>/",
    "performance/",
    "exams/",
    "exams/competitions/",
    "accounts/login/",
    "accounts/register/",
    "accounts/password/reset/",
    "accounts/password/reset/sent/",
    "accounts/password/reset/done/",
    "accounts/password/reset/<uidb64>/<token>/",  # says the link is invalid
    # The API's public part: its description, health, and the portal's searches and published lists.
    "api/v1/openapi.json",
    "api/v1/docs",
    "api/v1/health",
    "api/v1/policies/search",
    "api/v1/cases/",
    "api/v1/cases/site-search",
    "api/v1/publicity/posts",
    "api/v1/publicity/campaigns/upcoming",
    "api/v1/performance/public/disclosures",
}
# Pages for any signed-in account, whatever its roles (its own messages, jobs, account, certificate).
SIGNED_IN = {
    "messages/",
    "jobs/",
    "accounts/profile/",
    "accounts/password/",
    "accounts/password/done/",
    "accounts/2fa/",
    "exams/me/",
    "exams/practice/",
    # API lists cut to the caller's own records or to what the caller may see (empty without a role).
    "api/v1/messages",
    "api/v1/policies/subscriptions",
    "api/v1/exams/",
    "api/v1/bidding/projects",
}

SAMPLE = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def _pages() -> list[tuple[str, str]]:
    """(pattern as written, a path with sample values) for every page and API address outside /admin/."""

    def walk(patterns: list, prefix: str = ""):  # noqa: ANN202
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    out = []
    for pattern in dict.fromkeys(walk(get_resolver().url_patterns)):  # the API lists a path once per method
        if pattern.startswith("admin/"):
            continue
        if pattern.startswith("laws/^"):  # the article page is a regular expression
            out.append(("laws/<article>", "/laws/1/articles/1/"))
            continue
        path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], pattern)
        out.append((pattern, "/" + path))
    return out


PAGES = _pages()


def test_the_sweep_sees_the_whole_site():
    assert len(PAGES) > 100
    assert ("jobs/<int:pk>/", "/jobs/1/") in PAGES and ("", "/") in PAGES
    assert {p for p, _ in PAGES} >= (PUBLIC | SIGNED_IN)  # no stale entries


@pytest.mark.parametrize(("pattern", "path"), PAGES, ids=[p for p, _ in PAGES])
def test_a_visitor_and_an_account_without_roles_see_only_what_is_meant_for_them(
    pattern, path, client, login, outsider
):
    visitor = client.get(path)
    assert visitor.status_code < 500, f"{path}: {visitor.status_code}"
    if visitor.status_code == 200:
        assert pattern in PUBLIC, f"{path} answers a visitor with 200 but is not declared public"
    signed_in = login(outsider).get(path)
    assert signed_in.status_code < 500, f"{path}: {signed_in.status_code}"
    if signed_in.status_code == 200:
        assert pattern in PUBLIC | SIGNED_IN, f"{path} answers an account without roles with 200"
