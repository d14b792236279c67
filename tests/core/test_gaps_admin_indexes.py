"""Core admin lists stay cheap on big tables (no date hierarchy over the audit log, users joined not fetched
row by row, no <select> of every user), and the inbox and audit-history queries have their indexes."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.core import audit
from fazhi.core.models import ApiToken, AuditEvent, Message
from fazhi.core.services import ensure_user


def _queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


def test_the_audit_log_list_runs_no_date_query_over_the_whole_log(login, sysadmin):
    for n in range(3):
        audit.record(action="note", object_type="test.Thing", object_id=str(n), comment="x")
    sqls = _queries(login(sysadmin), "/admin/core/auditevent/")
    assert not [sql for sql in sqls if "trunc" in sql.lower()], "a date-hierarchy query ran"
    assert "test.Thing" in login(sysadmin).get("/admin/core/auditevent/").content.decode()


def test_the_login_log_list_runs_no_date_query_either(login, sysadmin, client):
    client.post("/accounts/login/", {"username": "nobody", "password": "x"})
    sqls = _queries(login(sysadmin), "/admin/core/loginattempt/")
    assert not [sql for sql in sqls if "trunc" in sql.lower()]


def test_the_message_and_token_lists_do_not_fetch_users_row_by_row(login, sysadmin):
    people = [ensure_user(username=f"u{n}", display_name=f"用户{n}", role_names=[]) for n in range(2)]
    for person in people:
        Message.objects.create(recipient=person, title="通知")
        ApiToken.issue(person)
    client = login(sysadmin)
    few = {url: len(_queries(client, url)) for url in ("/admin/core/message/", "/admin/core/apitoken/")}
    more = [ensure_user(username=f"v{n}", display_name=f"用户{n}", role_names=[]) for n in range(12)]
    for person in more:
        Message.objects.create(recipient=person, title="通知")
        ApiToken.issue(person)
    for url, count in few.items():
        assert len(_queries(client, url)) == count, url


def test_the_message_and_token_forms_ask_for_a_user_id_not_a_list_of_every_user(login, sysadmin):
    person = ensure_user(username="someone", display_name="某人", role_names=[])
    msg = Message.objects.create(recipient=person, title="通知")
    client = login(sysadmin)
    change = client.get(f"/admin/core/message/{msg.pk}/change/").content.decode()
    assert (
        'name="recipient"' in change
        and '<select name="recipient"' not in change
        and "vForeignKeyRawIdAdminField" in change
    )
    add = client.get("/admin/core/apitoken/add/").content.decode()
    assert '<select name="user"' not in add and "vForeignKeyRawIdAdminField" in add


def _indexed_columns(table: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [c["columns"] for c in constraints.values() if c["index"]]


def test_the_inbox_unread_count_and_object_history_have_indexes(db):
    message_indexes = _indexed_columns(Message._meta.db_table)
    assert ["recipient_id", "created_at"] in message_indexes
    assert ["recipient_id", "read_at"] in message_indexes
    assert ["object_type", "object_id"] in _indexed_columns(AuditEvent._meta.db_table)


def test_the_audit_log_names_actions_and_object_types_in_chinese_and_filters_without_a_distinct_query(
    login, sysadmin
):
    user = ensure_user(username="u-audit", display_name="用户", role_names=[])
    audit.record(action="transition", obj=user, comment="x")
    audit.record(action="note", object_type="test.Thing", object_id="1", comment="x")
    client = login(sysadmin)
    sqls = _queries(client, "/admin/core/auditevent/")
    assert not [sql for sql in sqls if "distinct" in sql.lower()], "a filter listed its values by query"
    page = client.get("/admin/core/auditevent/").content.decode()
    assert "状态变更（transition）" in page and "（core.User）" in page
    assert "note" in page and "test.Thing" in page  # unknown codes are shown as written
    only = client.get("/admin/core/auditevent/?action=transition").content.decode()
    assert "状态变更（transition）" in only and "test.Thing" not in only
