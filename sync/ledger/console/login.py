"""The login page, logging out and the language switch."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from sync.ledger.console.texts import LANGS
from sync.ledger.console.web import (
    LANG_COOKIE,
    LOGIN_CSRF_COOKIE,
    PREFIX,
    SESSION_COOKIE,
    Console,
    choose_lang,
    clear_session_cookie,
    duration,
    is_https,
    new_token,
    safe_next,
    set_session_cookie,
    translator,
)

LANG_COOKIE_S = 365 * 24 * 3600


def add_routes(router: APIRouter, console: Console) -> None:
    def login_page(request: Request, next_: str, error: str = "", status: int = 200) -> Response:
        token = request.cookies.get(LOGIN_CSRF_COOKIE) or new_token()
        response = console.render(
            request, "login.html", status, csrf=token, next=safe_next(next_), error=error
        )
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            token,
            path=PREFIX + "/",
            httponly=True,
            samesite="strict",
            secure=is_https(request),
        )
        return response

    @router.get("/login", include_in_schema=False)
    def show_login(request: Request, next: str = PREFIX + "/") -> Response:
        return login_page(request, next)

    @router.post("/login", include_in_schema=False)
    def log_in(
        request: Request,
        username: Annotated[str, Form(max_length=200)] = "",
        password: Annotated[str, Form(max_length=2000)] = "",
        csrf: Annotated[str, Form(max_length=200)] = "",
        next: Annotated[str, Form(max_length=500)] = PREFIX + "/",
    ) -> Response:
        t = translator(choose_lang(request))
        expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not (expected and csrf and hmac.compare_digest(expected.encode(), csrf.encode())):
            return console.render(request, "forbidden.html", 403, message=t("forbidden_csrf"))
        address = request.client.host if request.client is not None else "unknown"
        result = console.users.login(username, password, address)
        if result.wait_s:
            error = t("locked_out", wait=duration(t, result.wait_s))
            return login_page(request, next, error, 429)
        if result.session_id is None:
            return login_page(request, next, t("login_failed"), 401)
        response = RedirectResponse(safe_next(next), status_code=303)
        set_session_cookie(response, request, result.session_id)
        response.delete_cookie(LOGIN_CSRF_COOKIE, path=PREFIX + "/")
        return response

    @router.post("/logout", include_in_schema=False)
    def log_out(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
        session = console.session(request)
        if session is None:
            return RedirectResponse(f"{PREFIX}/login", status_code=303)
        refused = console.csrf_refused(request, session, csrf)
        if refused is not None:
            return refused
        console.users.logout(request.cookies.get(SESSION_COOKIE, ""))
        response = RedirectResponse(f"{PREFIX}/login", status_code=303)
        clear_session_cookie(response, request)
        return response

    @router.get("/lang/{code}", include_in_schema=False)
    def switch_language(request: Request, code: str, next: str = PREFIX + "/") -> Response:
        """Remember the language in a cookie and go back; it changes nothing on the server."""
        response = RedirectResponse(safe_next(next), status_code=303)
        if code in LANGS:
            response.set_cookie(
                LANG_COOKIE,
                code,
                max_age=LANG_COOKIE_S,
                path=PREFIX + "/",
                samesite="strict",
                secure=is_https(request),
            )
        return response
