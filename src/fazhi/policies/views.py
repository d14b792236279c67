"""惠企政策 pages: list with facets, policy page, 政策体检 (profile + matches + subscriptions), unsubscribe."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from fazhi.core import downloads, paging, roles
from fazhi.core.errors import DomainError, NotFound
from fazhi.core.models import EnterpriseAccount
from fazhi.core.permissions import has_role, role_required
from fazhi.policies import (
    duplicates,
    extract,
    forms,
    index,
    list_facets,
    matching,
    selectors,
    services,
    sizing,
)
from fazhi.policies.models import EnterpriseProfile, PolicyAttachment
from fazhi.policies.services.profile import CreditCodeTaken

PAGE_SIZE = 20


def index_page(request: HttpRequest) -> HttpResponse:
    """Policy list: query, facets (links that add/remove a filter), sorting, expired hidden by default."""
    q = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "relevance")
    if sort not in index.SORTS:
        sort = "relevance"
    show_inactive = request.GET.get("show_inactive") == "1"
    params = {k: request.GET.getlist(k) for k in selectors.FILTER_PARAMS}
    # Each filter is checked alone: a bad one is reported and dropped (not applied, not marked chosen, not
    # carried by the links), the others still apply.
    errors: list[str] = []
    filters: dict[str, list[str]] = {}
    for key, given in params.items():
        try:
            filters.update(selectors.normalize_filters({key: given}))
        except DomainError as exc:
            errors.append(exc.message)
            params[key] = []
    error = "".join(errors)
    if "status" not in filters and not show_inactive:
        filters["status"] = list(selectors.ACTIVE_STATUSES)
    # Deep pages are capped (paging.MAX_RESULTS); a page past the last one shows the last page.
    page = min(paging.page_number(request.GET.get("page")), paging.max_page(PAGE_SIZE))
    judged = index.page_relevance(q, filters, sort=sort, hidden_checked=not show_inactive, every=True)
    groups = duplicates.group_keys()  # the groups of reposts, read once for the folding and the facet counts
    # Each facet value counts the entries the list shows once it is chosen (reposts once, weak matches cut as
    # that list cuts them), on a worker thread while the page searches. The values of a group in use count
    # as if chosen alone, so that 省 and 市 can be chosen together (values of one group are alternatives).
    in_use = {field for field in selectors.FACET_LABELS if params.get(field) and field in filters}
    counting = list_facets.counts_later(
        q,
        filters=filters,
        chosen=in_use,
        sort=sort,
        judged=judged,
        hidden_checked=not show_inactive,
        groups=groups,
    )

    def results(page: int) -> index.SearchOutcome:
        offset = (page - 1) * PAGE_SIZE
        return index.search(
            q,
            filters=filters,
            limit=PAGE_SIZE,
            offset=offset,
            sort=sort,
            keep=judged.keep,
            collapse=True,
            groups=groups,
            facets=False,
        )

    outcome = results(page)
    pages = paging.reachable_pages(outcome.total, PAGE_SIZE)
    if page > pages:
        page = pages
        outcome = results(page)
    base = {k: v for k, v in request.GET.lists() if k != "page" and (k not in params or params[k])}

    def link(**changes: object) -> str:
        merged = {k: list(v) for k, v in base.items()}
        for k, v in changes.items():
            if v is None:
                merged.pop(k, None)
            else:
                merged[k] = v if isinstance(v, list) else [str(v)]
        return "?" + urlencode(merged, doseq=True)

    facet_counts = counting.result()
    facet_groups = []
    for field, label in selectors.FACET_LABELS.items():
        # As applied (a code such as `provincial` or "省,市" in the address is marked on its facet values).
        chosen = set(filters.get(field, [])) if field in in_use else set()
        counts = facet_counts.get(field, {})
        listed = sorted(counts.items(), key=lambda x: (-x[1], x[0]))[:15]
        # A chosen value stays listed (with what it lists now), so that it can be taken off.
        listed += [(value, counts.get(value, 0)) for value in sorted(chosen) if value not in dict(listed)]
        values = []
        for value, count in listed:
            active = value in chosen
            new = sorted(chosen - {value}) if active else sorted(chosen | {value})
            values.append(
                {"value": value, "count": count, "active": active, "url": link(**{field: new or None})}
            )
        if values:
            facet_groups.append({"field": field, "label": label, "values": values})
    # Each group of reposts is listed once on every page (index.search collapses it); its entry names the
    # other copies.
    rows = [
        {
            "policy": f.policy,
            "snippet": outcome.snippets.get(f.policy.pk, ""),
            "inactive": f.policy.is_inactive,
            "group": f.group,
        }
        for f in selectors.with_groups([p for p, _ in outcome.hits])
    ]
    return render(
        request,
        "policies/index.html",
        {
            "q": q,
            "sort": sort,
            "sorts": index.SORTS,
            "sort_links": {k: link(sort=k) for k in index.SORTS},
            "show_inactive": show_inactive,
            "toggle_inactive": link(show_inactive=None if show_inactive else "1"),
            "facet_groups": facet_groups,
            "rows": rows,
            "total": outcome.total,
            "folded": outcome.collapsed,
            "page": page,
            "pages": pages,
            "capped": outcome.total > pages * PAGE_SIZE,
            "max_results": paging.MAX_RESULTS,
            "prev_url": link(page=page - 1) if page > 1 else "",
            "next_url": link(page=page + 1) if page < pages else "",
            "error": error,
            "hidden_matches": judged.hidden,
            "weak": judged.weak,
            # The search box keeps the chosen filters and sort; "清除全部筛选" keeps only the query and sort.
            "kept_params": [
                (k, v) for k, values in base.items() if k not in ("q", "show_inactive") for v in values
            ],
            "filtered": any(params.values()) or show_inactive,
            "clear_url": "?"
            + urlencode({k: v for k, v in (("q", q), ("sort", sort)) if v and v != "relevance"}),
        },
    )


def detail(request: HttpRequest, policy_id: int) -> HttpResponse:
    try:
        policy = selectors.get_policy(policy_id)
    except NotFound as exc:
        return render(request, "core/404.html", {"message": exc.message}, status=404)
    names = sizing.sections()
    reposts = selectors.reposts_of(policy)
    periods = [] if policy.effective_to else extract.stated_periods(policy.full_text)
    latest = policy.measures_end
    industries = [names.get(s, s) for s in policy.industries]
    sizes = "、".join(policy.sizes) + "企业" if policy.sizes else ""
    who = [
        part
        for part in (
            policy.beneficiaries,
            sizes,
            "行业：" + "、".join(industries) if industries else "",
            "地区：" + "、".join(policy.regions) if policy.regions else "",
        )
        if part
    ]
    return render(
        request,
        "policies/detail.html",
        {
            "policy": policy,
            "paragraphs": extract.paragraphs(policy.full_text),
            "periods": periods[:3],
            "more_periods": max(0, len(periods) - 3),
            # Every measure's stated period is over, though the policy itself states no end: say so.
            "periods_over": latest if latest and latest < timezone.localdate() else None,
            "inactive": policy.is_inactive,
            "beneficiaries": "；".join(who) or "未注明",
            "reposts": reposts,
            "related": [r for r in selectors.related_policies(policy) if r.pk not in {x.pk for x in reposts}],
            "attachments": policy.attachments_list(),
        },
    )


PROFILE_FIELDS = (
    "name",
    "credit_code",
    "industry",
    "industry_section",
    "region",
    "established_on",
    "employees",
    "revenue",
    "total_assets",
    "tags",
)


@require_http_methods(["GET", "POST"])
def match_page(request: HttpRequest) -> HttpResponse:
    """政策体检: the enterprise saves its profile and sees ranked policies with conditions met/unmet/unknown.

    Visitors who are not logged in, and logged-in accounts that are not enterprise accounts (staff trying it
    for an enterprise), may try it: the profile they enter is matched and shown, never saved; saving it and
    subscribing need an enterprise account.
    """
    if not request.user.is_authenticated or not has_role(request.user, roles.ENTERPRISE):
        return _try_match(request)
    profile = EnterpriseProfile.objects.filter(owner=request.user.pk).first()
    initial = {}
    if profile:
        initial = {f: getattr(profile, f) for f in PROFILE_FIELDS}
    else:
        # 企业注册 recorded the name and credit code: the first profile starts with them filled in.
        registered = EnterpriseAccount.objects.filter(user=request.user.pk).first()
        if registered:
            initial = {"name": registered.name, "credit_code": registered.credit_code}
    form = forms.ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.save_profile(actor=request.user, data=form.cleaned_data)
        except CreditCodeTaken as exc:
            form.add_error("credit_code", exc.message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "企业画像已保存，以下为匹配结果。")
            return redirect("policies:match")
    return render(
        request,
        "policies/match.html",
        {
            **_match_context(profile),
            "form": form,
            "sub_form": forms.SubscriptionForm(),
            "subscriptions": selectors.subscriptions_of(request.user),
        },
    )


SHOWN_MATCHES = 30  # the first results shown open; the rest behind "显示其余"
SHOWN_EXCLUDED = 100  # policies ruled out by industry, size or region that are judged and listed


def _match_context(profile: EnterpriseProfile | None) -> dict[str, object]:
    if profile is None:
        return {"profile": None, "sized": None, "results": [], "size_source": sizing.source()}
    sized = sizing.classify(
        industry=profile.industry,
        employees=profile.employees,
        revenue=profile.revenue,
        assets=profile.total_assets,
    )
    today = timezone.localdate()
    # Every policy in force is judged (the index holds a few hundred): the heading counts them all, not
    # the first page, and reposted copies of one title are shown once.
    found = matching.ranked(profile, today=today, candidates=matching.PAGE_CANDIDATES)
    # Policies whose industry, size or region rules the enterprise out: counted by the index, the first
    # SHOWN_EXCLUDED judged and listed (most are other provinces' policies; judging them all costs time).
    left_out = matching.excluded(profile, today=today, limit=SHOWN_EXCLUDED)
    # One of those with no condition failing (a district's policy for an enterprise that named only its
    # city: the region is to be checked) is a possible match, not a failure without a reason.
    fits = [m for m in left_out.results if m.possible]
    results = matching.collapse_reposts(found.results + fits)
    possible = [m for m in results if m.possible]
    unmet = [m for m in results if not m.possible]
    failed = matching.collapse_reposts(unmet + [m for m in left_out.results if not m.possible])
    return {
        "profile": profile,
        "sized": sized,
        "results": possible[:SHOWN_MATCHES],
        "more_results": possible[SHOWN_MATCHES:],
        "total": len(possible),
        "failed": failed,
        # As the matches: reposts counted once, so that the heading is the listed plus the unlisted ones.
        "failed_total": len(failed) + left_out.total - len(left_out.results),
        "failed_more": left_out.total - len(left_out.results),
        # The thresholds in force name their source (300号, or an administrator's correction).
        "size_source": sized.industry.source if sized.industry else sizing.source(),
    }


def _try_match(request: HttpRequest) -> HttpResponse:
    """政策体检 without an account: the entered profile is validated and matched, nothing is stored."""
    form = forms.ProfileForm(request.POST or None)
    profile = None
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_from_values(form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "policies/match.html",
        {
            **_match_context(profile),
            "form": form,
            "trying": True,
            "next": request.path,
            "other_account": request.user.is_authenticated,
        },
    )


@role_required(roles.ENTERPRISE)
@require_http_methods(["POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    form = forms.SubscriptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "订阅内容不正确，请重新选择。")
        return redirect("policies:match")
    try:
        services.subscribe(actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "订阅成功：有新政策或申报即将截止时，将通过站内消息提醒您。")
        if form.cleaned_data.get("email") and not (getattr(request.user, "email", "") or "").strip():
            messages.warning(
                request,
                format_html(
                    "您的账号没有登记电子邮箱，邮件提醒无法送达（站内消息照常发送）。"
                    '请在<a href="{}">账号信息</a>中登记邮箱。',
                    reverse("core:profile"),
                ),
            )
    return redirect("policies:match")


@csrf_exempt  # the token in the address is the credential; mail programs POST here (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click from the message or e-mail: the token identifies the subscription. A mail program's own
    unsubscribe button (List-Unsubscribe-Post) POSTs to the same address."""
    try:
        sub = services.unsubscribe(token=token)
    except DomainError as exc:
        return render(request, "policies/unsubscribed.html", {"error": exc.message}, status=exc.status)
    return render(request, "policies/unsubscribed.html", {"subscription": sub})


@require_http_methods(["POST"])
def resubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """撤销退订 from the unsubscribe page (a click by mistake, or a mail scanner that followed the link)."""
    try:
        sub = services.resubscribe(token=token)
    except DomainError as exc:
        return render(request, "policies/unsubscribed.html", {"error": exc.message}, status=exc.status)
    return render(request, "policies/unsubscribed.html", {"subscription": sub, "restored": True})


def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """A policy's attachment (申报表格…): public like the policy page, served by its content's type."""
    found = PolicyAttachment.objects.filter(pk=attachment_id).first()
    if found is None:
        return render(request, "core/404.html", {"message": "未找到该附件，可能已被删除。"}, status=404)
    try:
        return downloads.stored_file(found.file, found.title)
    except Http404:
        return render(request, "core/404.html", {"message": "附件文件已不存在，请联系发布单位。"}, status=404)
