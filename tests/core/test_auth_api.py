import pytest

from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_token_is_issued_for_good_credentials(client, clerk):
    r = client.post(
        "/api/v1/auth/token", {"username": "clerk", "password": PASSWORD}, content_type="application/json"
    )
    assert r.status_code == 200
    body = r.json()
    assert body["token"] and "起草人" in body["roles"]


@pytest.mark.django_db
def test_bad_credentials_get_a_chinese_401(client, clerk):
    r = client.post(
        "/api/v1/auth/token", {"username": "clerk", "password": "wrong"}, content_type="application/json"
    )
    assert r.status_code == 401
    assert "用户名或密码错误" in r.json()["detail"]


@pytest.mark.django_db
def test_health_reports_counts(client):
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["laws"] == 0 and "docs" in body["index"]


@pytest.mark.django_db
def test_admin_refuses_anonymous_and_outsider(client, login, outsider):
    assert client.get("/admin/").status_code == 302
    assert login(outsider).get("/admin/").status_code == 302  # not staff: sent to the admin login


def test_cli_joins_two_word_commands():
    from fazhi.cli import translate

    assert translate(["fazhi", "import", "laws", "x"], {"import_laws"}) == ["fazhi", "import_laws", "x"]
    assert translate(["fazhi", "migrate"], {"import_laws"}) == ["fazhi", "migrate"]
