"""Expert pools: list, create, Excel import with per-row errors, expert accounts (ID numbers masked)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fazhi.bidding import selectors, services
from fazhi.bidding.models import Expert, ExpertPool, Site
from fazhi.bidding.services.common import is_manager
from fazhi.bidding.services.pools import COLUMNS
from fazhi.bidding.views.common import post_int, post_text
from fazhi.core.errors import DomainError, ValidationFailed
from fazhi.core.permissions import role_required


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(
        request, "bidding/forbidden.html", {"message": "专家库仅向采购办经办人员开放。"}, status=403
    )


@role_required()
def pool_list(request: HttpRequest) -> HttpResponse:
    if not is_manager(request.user):
        return _forbidden(request)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "site":
                site = services.create_site(
                    actor=request.user, name=post_text(request, "name"), region=post_text(request, "region")
                )
                messages.success(request, f"已添加交易中心“{site.name}”。")
            else:
                pool_site = Site.objects.filter(pk=post_int(request, "site_id", "交易中心")).first()
                if pool_site is None:
                    raise ValidationFailed("请选择专家库所属的交易中心。")
                pool = services.create_pool(
                    actor=request.user,
                    name=post_text(request, "name"),
                    region=post_text(request, "region"),
                    site=pool_site,
                )
                messages.success(request, f"已新建专家库“{pool.name}”。")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("bidding:pools")
    return render(request, "bidding/pools.html", {"pools": selectors.pools(), "sites": selectors.sites()})


@role_required()
def pool_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_manager(request.user):
        return _forbidden(request)
    pool = ExpertPool.objects.select_related("site").filter(pk=pk).first()
    if pool is None:
        return render(request, "core/404.html", status=404)
    errors: list[tuple[int, str]] = []
    if request.method == "POST":
        try:
            if request.POST.get("form") == "account":
                expert = Expert.objects.filter(pool=pool, pk=post_int(request, "expert_id", "专家")).first()
                if expert is None:
                    raise ValidationFailed("专家不存在。")
                user = services.create_expert_account(
                    expert=expert,
                    actor=request.user,
                    username=post_text(request, "username"),
                    password=request.POST.get("password", ""),
                )
                messages.success(request, f"已为{expert.name}开通评标账号 {user.username}。")
                return redirect("bidding:pool", pk=pool.pk)
            upload = request.FILES.get("file")
            if upload is None:
                raise ValidationFailed("请选择要导入的 Excel 文件。")
            result = services.import_experts(pool=pool, actor=request.user, upload=upload)
            if result.ok:
                messages.success(request, f"导入完成：新增 {result.created} 人，更新 {result.updated} 人。")
                return redirect("bidding:pool", pk=pool.pk)
            errors = result.errors
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("bidding:pool", pk=pool.pk)
    return render(
        request,
        "bidding/pool_detail.html",
        {"pool": pool, "experts": selectors.experts_in(pool), "errors": errors, "columns": COLUMNS},
        status=400 if errors else 200,
    )
