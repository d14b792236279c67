"""两步验证 errors for screen readers (GB/T 37668-2019 / WCAG 3.3.1, 1.3.1): the fields of the form that was sent
are marked aria-invalid and point to the error with aria-describedby, as on the login page, so that
form-errors.js puts the focus on the first and its error is read with it; the other forms stay unmarked."""

from __future__ import annotations

import re

from django.test import Client

from tests.conftest import PASSWORD
from tests.core.test_two_factor import code_at, set_up, sign_in

WRONG = "12345"  # five digits: never a code


def control(page: str, control_id: str) -> str:
    return re.search(rf'<input id="{control_id}"[^>]*>', page).group(0)


def assert_tied(page: str, control_ids: list[str]) -> None:
    """Each named field is marked wrong and described by the error; no other field is."""
    error = re.search(r'<p class="error" role="alert" id="([^"]+)">([^<]+)</p>', page)
    assert error, page
    for control_id in re.findall(r'<input id="([^"]+)"', page):
        tag = control(page, control_id)
        if control_id in control_ids:
            assert 'aria-invalid="true"' in tag and f'aria-describedby="{error.group(1)}"' in tag, tag
        else:
            assert "aria-invalid" not in tag and "aria-describedby" not in tag, tag


def test_a_wrong_first_code_marks_both_fields_of_the_setup_form(clerk, login):
    client = login(clerk)
    client.post("/accounts/2fa/", {"action": "start"})
    resp = client.post("/accounts/2fa/", {"action": "enable", "code": WRONG, "password": PASSWORD})
    assert resp.status_code == 400
    assert_tied(resp.content.decode(), ["id_code", "id_password"])


def test_a_wrong_password_to_turn_it_off_marks_only_that_forms_fields(clerk, login):
    client = login(clerk)
    secret, _ = set_up(client)
    resp = client.post(
        "/accounts/2fa/", {"action": "disable", "password": "wrong", "code": code_at(secret, 1)}
    )
    assert resp.status_code == 400 and "当前密码不正确。" in resp.content.decode()
    assert_tied(resp.content.decode(), ["id_password_d", "id_code_d"])


def test_a_wrong_code_for_new_recovery_codes_marks_its_field(clerk, login):
    client = login(clerk)
    set_up(client)
    resp = client.post("/accounts/2fa/", {"action": "recovery", "code": WRONG})
    assert resp.status_code == 400
    assert_tied(resp.content.decode(), ["id_code_r"])


def test_the_settings_page_without_an_error_marks_nothing(clerk, login):
    client = login(clerk)
    set_up(client)
    page = client.get("/accounts/2fa/").content.decode()
    assert "aria-invalid" not in page and 'role="alert"' not in page


def test_a_wrong_code_after_the_password_is_tied_to_the_code_field(clerk, login):
    set_up(login(clerk))
    client = Client()
    sign_in(client, "clerk")
    resp = client.post("/accounts/login/code/", {"code": WRONG})
    assert resp.status_code == 400
    assert_tied(resp.content.decode(), ["id_code"])
    assert "aria-invalid" not in control(client.get("/accounts/login/code/").content.decode(), "id_code")
