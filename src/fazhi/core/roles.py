"""Roles are Django groups; these are their names (the Chinese names users see)."""

ENTERPRISE = "企业用户"
DRAFTER = "起草人"
REVIEWER = "法制审核员"
LEADER = "分管领导"
EXAM_ADMIN = "考试管理员"
PROCUREMENT = "采购办"
SUPERVISOR = "监督方"
SYSADMIN = "系统管理员"
STAFF_MEMBER = "工作人员"  # a bureau employee (exam candidate, enforcement staff)

ALL_ROLES = [
    ENTERPRISE,
    DRAFTER,
    REVIEWER,
    LEADER,
    EXAM_ADMIN,
    PROCUREMENT,
    SUPERVISOR,
    SYSADMIN,
    STAFF_MEMBER,
]

# Demo accounts created by `make run` when DEBUG is on: username → (display name, roles, is_staff).
# 起草人 is staff: 以案释法 cases, 宣传节点 and 普法责任清单 are edited only in the admin, whose pages for
# them check the editor roles; every other admin page checks its own roles or Django permissions (which the
# role groups do not carry), so staff status opens nothing else to a drafter.
DEMO_ACCOUNTS: dict[str, tuple[str, list[str], bool]] = {
    "admin": ("系统管理员", [SYSADMIN], True),
    "drafter": ("起草人（法规科）", [DRAFTER, STAFF_MEMBER], True),
    "reviewer": ("法制审核员", [REVIEWER, STAFF_MEMBER], True),
    "leader": ("分管领导", [LEADER, STAFF_MEMBER], True),
    "examadmin": ("考试管理员", [EXAM_ADMIN, STAFF_MEMBER], True),
    "buyer": ("采购办经办人", [PROCUREMENT, STAFF_MEMBER], True),
    "supervisor": ("监督方（区人大）", [SUPERVISOR], False),
    "enterprise": ("演示企业用户", [ENTERPRISE], False),
}
