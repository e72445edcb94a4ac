"""Logging in and out of the console over real HTTP: cookies, the lockout, CSRF, roles and
the language."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.domain.clock import ManualClock
from sync.ledger.console.texts import LANGS, TEXTS
from sync.ledger.models import ConsoleSession
from sync.ledger.server import LedgerThread
from sync.ledger.service import Ledger
from sync.ledger.users import (
    ABSOLUTE_S,
    FIRST_PAUSE_S,
    FREE_FAILURES,
    FREE_FAILURES_ADDRESS,
    IDLE_S,
    Users,
    hash_password,
    verify_password,
)
from tests.ledger.console.helpers import PASSWORD, Browser, csrf_of, set_cookies
from tests.tlsutil import make_ca_and_server_cert

Browsers = Callable[[], Browser]


def test_a_password_is_hashed_with_scrypt_and_its_parameters() -> None:
    stored = hash_password(PASSWORD)
    kdf, n, r, p, salt, digest = stored.split("$")
    assert (kdf, n, r, p) == ("scrypt", str(2**15), "8", "1")
    assert PASSWORD not in stored
    assert hash_password(PASSWORD) != stored  # a new salt each time
    assert verify_password(PASSWORD, stored)
    assert not verify_password(PASSWORD + "x", stored)
    assert not verify_password(PASSWORD, "md5$whatever")


def test_login_opens_a_session_in_a_strict_httponly_cookie(browser: Browsers) -> None:
    me = browser()
    assert me.get("/console/terminals").headers["location"].startswith("/console/login")
    answer = me.login("admin1")
    assert answer.status_code == 303 and answer.headers["location"] == "/console/"
    session = next(c for c in set_cookies(answer) if c.startswith("console_session="))
    flags = [part.strip().lower() for part in session.split(";")]
    assert "httponly" in flags and "samesite=strict" in flags and "secure" not in flags
    page = me.get("/console/terminals")
    assert page.status_code == 200 and "admin1" in page.text


def test_the_session_cookie_is_secure_over_https(
    console_ledger: Ledger, users: Users, tmp_path: Path
) -> None:
    ca, cert, key = make_ca_and_server_cert(tmp_path / "pki")
    with LedgerThread(console_ledger, certfile=cert, keyfile=key) as server:
        me = Browser(server.url, verify=str(ca))
        answer = me.login("view1")
        session = next(c for c in set_cookies(answer) if c.startswith("console_session="))
        assert "secure" in [part.strip().lower() for part in session.split(";")]
        assert me.get("/console/terminals").status_code == 200
        me.close()


def test_a_wrong_password_is_refused_and_says_so(browser: Browsers) -> None:
    me = browser()
    answer = me.login("admin1", "not the password")
    assert answer.status_code == 401
    assert TEXTS["login_failed"]["ru"] in answer.text
    assert not any(c.startswith("console_session=") for c in set_cookies(answer))
    assert me.login("nobody", PASSWORD).status_code == 401  # unknown: the same answer


def test_repeated_failures_lock_the_name_out_with_a_growing_pause(
    browser: Browsers, clock: ManualClock
) -> None:
    me = browser()
    for _ in range(FREE_FAILURES):
        assert me.login("oper1", "wrong password!").status_code == 401
    locked = me.login("oper1", PASSWORD)  # even the right password waits
    assert locked.status_code == 429
    assert "30 с" in locked.text and "удваивает" in locked.text
    assert browser().login("oper1", PASSWORD).status_code == 429  # another browser too
    clock.advance(FIRST_PAUSE_S + 1)
    assert me.login("oper1", "wrong again!!").status_code == 401
    again = me.login("oper1", PASSWORD)
    assert again.status_code == 429 and "1 мин 0 с" in again.text  # doubled
    clock.advance(2 * FIRST_PAUSE_S + 1)
    assert me.login("oper1", PASSWORD).status_code == 303
    assert browser().login("view1").status_code == 303  # other names were never locked


def test_one_address_trying_many_names_is_locked_out(browser: Browsers) -> None:
    me = browser()
    for number in range(FREE_FAILURES_ADDRESS):
        assert me.login(f"guess{number}", "wrong password!").status_code == 401
    assert me.login("admin1").status_code == 429


def test_an_idle_session_ends(browser: Browsers, clock: ManualClock) -> None:
    me = browser()
    me.login("view1")
    clock.advance(IDLE_S - 10)
    assert me.get("/console/terminals").status_code == 200  # touched: idle time starts again
    clock.advance(IDLE_S - 10)
    assert me.get("/console/terminals").status_code == 200
    clock.advance(IDLE_S + 1)
    assert me.get("/console/terminals").headers["location"].startswith("/console/login")


def test_a_session_ends_twelve_hours_after_login_however_busy(
    browser: Browsers, clock: ManualClock
) -> None:
    me = browser()
    me.login("view1")
    for _ in range(ABSOLUTE_S // (IDLE_S - 60)):
        clock.advance(IDLE_S - 60)
        assert me.get("/console/terminals").status_code == 200
    clock.advance(IDLE_S - 60)
    assert me.get("/console/terminals").status_code == 303


def test_the_database_keeps_only_a_hash_of_the_session_id(
    browser: Browsers, console_ledger: Ledger
) -> None:
    me = browser()
    me.login("admin1")
    cookie = me.http.cookies.get("console_session")
    assert cookie
    with console_ledger.engine.connect() as connection:
        kept = connection.execute(select(ConsoleSession.id_hash)).scalars().all()
    assert kept == [hashlib.sha256(cookie.encode()).hexdigest()]
    assert cookie not in kept


def test_logout_needs_the_form_token_and_ends_the_session(browser: Browsers) -> None:
    me = browser()
    me.login("view1")
    token = me.form_token("/console/terminals")
    refused = me.post("/console/logout", {"csrf": "forged"})
    assert refused.status_code == 403 and TEXTS["forbidden_csrf"]["ru"] in refused.text
    assert me.post("/console/logout", {}).status_code == 403
    assert me.get("/console/terminals").status_code == 200  # still logged in
    assert me.post("/console/logout", {"csrf": token}).status_code == 303
    assert me.get("/console/terminals").status_code == 303


def test_a_login_form_from_elsewhere_is_refused(browser: Browsers) -> None:
    me = browser()
    answer = me.post(
        "/console/login", {"username": "admin1", "password": PASSWORD, "csrf": "x" * 43}
    )
    assert answer.status_code == 403


def test_a_viewer_is_refused_the_users_page_in_their_language(browser: Browsers) -> None:
    me = browser()
    me.login("view1")
    refused = me.get("/console/users")
    assert refused.status_code == 403
    assert "«администратор»" in refused.text and "«наблюдатель»" in refused.text
    me.get("/console/lang/kk?next=/console/users")
    kazakh = me.get("/console/users")
    assert kazakh.status_code == 403
    assert "«әкімші»" in kazakh.text and '<html lang="kk">' in kazakh.text
    token = me.form_token("/console/terminals")
    forms = me.post("/console/users", {"csrf": token, "name": "x1", "role": "admin", "reason": "r"})
    assert forms.status_code == 403


def test_the_language_comes_from_accept_language_then_the_switch(browser: Browsers) -> None:
    me = browser()
    english = me.get("/console/login", headers={"Accept-Language": "de, en;q=0.8, ru;q=0.5"})
    assert '<html lang="en">' in english.text and "Log in" in english.text
    kazakh = me.get("/console/login", headers={"Accept-Language": "kk-KZ"})
    assert "Кіру" in kazakh.text
    assert '<html lang="ru">' in me.get("/console/login").text  # nothing asked: Russian
    switched = me.get("/console/lang/en?next=/console/login")
    assert switched.status_code == 303 and switched.headers["location"] == "/console/login"
    page = me.get("/console/login", headers={"Accept-Language": "kk"})  # the cookie wins
    assert '<html lang="en">' in page.text
    outside = me.get("/console/lang/kk?next=https://elsewhere.example/")
    assert outside.headers["location"] == "/console/"


def test_every_text_exists_in_every_language() -> None:
    for key, texts in TEXTS.items():
        assert set(texts) == set(LANGS), key
        assert all(text.strip() for text in texts.values()), key


@pytest.mark.parametrize("path", ["/console/login", "/console/static/console.css"])
def test_pages_and_the_style_are_served(browser: Browsers, path: str) -> None:
    answer = browser().get(path)
    assert answer.status_code == 200


def test_the_login_page_is_usable_on_a_phone(browser: Browsers) -> None:
    page = browser().get("/console/login").text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert 'name="username"' in page and 'name="password"' in page
    assert csrf_of(page)
