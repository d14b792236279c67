"""The expert's scoring page: one card per bidder, large inputs for a tablet, save and sign."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fazhi.bidding import services
from fazhi.bidding.models import Bidder, Criterion, Project
from fazhi.bidding.services.common import member_of
from fazhi.bidding.services.scoring import check_sheet, saved_sheet, scoring_closed
from fazhi.core.errors import DomainError
from fazhi.core.permissions import role_required


@role_required()
def score_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = Project.objects.select_related("host_site").filter(pk=pk).first()
    if project is None:
        return render(request, "core/404.html", status=404)
    member = member_of(project, request.user)
    if member is None:
        return render(
            request,
            "bidding/forbidden.html",
            {"message": "您不是本项目当前评标委员会的成员，不能评分。"},
            status=403,
        )
    bidders = list(Bidder.objects.filter(project=project, valid=True).order_by("pk"))
    criteria = list(Criterion.objects.filter(project=project).order_by("order", "pk"))
    error = ""
    if request.method == "POST":
        entries = [
            {
                "bidder_id": b.pk,
                "criterion_id": c.pk,
                "points": request.POST.get(f"s-{b.pk}-{c.pk}", ""),
                "reason": request.POST.get(f"r-{b.pk}-{c.pk}", ""),
            }
            for b in bidders
            for c in criteria
        ]
        try:
            services.save_scores(member=member, actor=request.user, entries=entries)
        except DomainError as exc:
            if exc.status == 403:
                return render(request, "bidding/forbidden.html", {"message": exc.message}, status=403)
            # Nothing was saved: the sheet is shown again below with everything the expert typed.
            error = exc.message
        if not error:
            try:
                if request.POST.get("sign"):
                    signed_sheet = services.sign_sheet(member=member, actor=request.user)
                    messages.success(request, f"已签名确认评分表。签名哈希：{signed_sheet.sign_hash}")
                else:
                    messages.success(request, "评分已保存。")
            except DomainError as exc:
                messages.error(request, f"评分已保存，但{exc.message}")
            return redirect("bidding:score", pk=project.pk)
    # Before the start (or after the end) the page shows why no score can be saved, and creates no sheet.
    closed = scoring_closed(project)
    sheet = saved_sheet(member)
    signed = sheet is not None and sheet.signed
    scores = {(s.bidder_id, s.criterion_id): s for s in sheet.scores.all()} if sheet else {}
    check = None if signed or closed else check_sheet(member)
    cards = []
    for b in bidders:
        items = []
        for c in criteria:
            s = scores.get((b.pk, c.pk))
            points = "" if s is None else s.points
            reason = "" if s is None else s.reason
            if error and not closed:
                points = request.POST.get(f"s-{b.pk}-{c.pk}", "")
                reason = request.POST.get(f"r-{b.pk}-{c.pk}", "")
            items.append(
                {
                    "criterion": c,
                    "points": points,
                    "reason": reason,
                    "outlier": bool(check and (b.pk, c.pk) in check.outlier_keys),
                }
            )
        cards.append({"bidder": b, "items": items})
    return render(
        request,
        "bidding/score.html",
        {
            "project": project,
            "member": member,
            "sheet": sheet,
            "site": sheet.site if sheet else member.site,
            "signed": signed,
            "closed": closed,
            "locked": signed or bool(closed),
            "cards": cards,
            "check": check,
            "error": error,
        },
        status=400 if error else 200,
    )
