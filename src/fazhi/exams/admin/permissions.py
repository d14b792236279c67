"""学法考试 admin permissions: who maintains the exam records, and which records nobody edits by hand."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fazhi.core.permissions import has_role
from fazhi.exams import selectors

# Who maintains the question bank, exams, competitions, the staff registry, certificates and training
# records in the admin (a superuser holds every role). Role-based, as in cases and laws: the groups carry
# no Django model permissions.
EXAM_ADMIN_ROLES = selectors.ADMIN_ROLES


def _exam_admin(request: HttpRequest) -> bool:
    return has_role(request.user, *EXAM_ADMIN_ROLES)


class ExamAdminPermissions:
    """考试管理员 (and the system administrator) view, add, change and delete these records."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _exam_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _exam_admin(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _exam_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _exam_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _exam_admin(request)


class EvidencePermissions(ExamAdminPermissions):
    """What candidates did (attempts, competition entries): shown, never added, edited or deleted by hand.

    An invented entry would enter the leaderboard, and a deleted attempt would let the candidate start
    the same paper again. Because nobody may delete these rows, the admin also refuses to delete an
    exam or a competition (round) that already has them.
    """

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
