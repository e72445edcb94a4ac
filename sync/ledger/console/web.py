"""What every console page shares: the language, the session, the CSRF check, rendering and
the 403 page.

Cookies: ``console_session`` (the session's random id; HttpOnly, SameSite=Strict, Secure
when the request came over HTTPS), ``console_lang`` (the chosen language), and before login
``console_login_csrf`` (the login form's token, compared with the form's hidden field: a
page elsewhere cannot log a browser in under its own name)."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from kiosk.domain.money import Money
from sync.ledger.console.texts import DEFAULT_LANG, LANG_NAMES, LANGS, TEXTS
from sync.ledger.service import Ledger
from sync.ledger.users import ABSOLUTE_S, Session, Users, may

SESSION_COOKIE = "console_session"
LANG_COOKIE = "console_lang"
LOGIN_CSRF_COOKIE = "console_login_csrf"
PREFIX = "/console"
TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")


def choose_lang(request: Request) -> str:
    """The cookie's language, else the first of Accept-Language the console speaks."""
    chosen = request.cookies.get(LANG_COOKIE, "")
    if chosen in LANGS:
        return chosen
    weighted: list[tuple[float, int, str]] = []
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        base = tag.strip().lower().split("-")[0]
        if base in LANGS:
            weighted.append((-quality, len(weighted), base))
    return min(weighted)[2] if weighted else DEFAULT_LANG


def translator(lang: str) -> Callable[..., str]:
    def t(key: str, **values: Any) -> str:
        text = TEXTS[key][lang]
        return text.format(**values) if values else text

    return t


def duration(t: Any, seconds: int | float | None) -> str:
    """An age in words: "4 min 10 s"."""
    if seconds is None:
        return str(t("unknown"))
    whole = max(0, int(seconds))
    if whole < 60:
        return str(t("seconds", s=whole))
    minutes, rest = divmod(whole, 60)
    if minutes >= 120:
        return str(t("hours", h=minutes // 60))
    return str(t("minutes_seconds", m=minutes, s=rest))


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def safe_next(target: str) -> str:
    """A redirect target inside the console only (no other host, no scheme)."""
    if target.startswith(PREFIX + "/") and not target.startswith("//") and "\\" not in target:
        return target
    return PREFIX + "/"


@dataclass
class Console:
    """The console over one ledger: its users, templates and helpers."""

    ledger: Ledger
    users: Users
    env: Environment

    @classmethod
    def over(cls, ledger: Ledger) -> Console:
        env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["money"] = lambda tiyn: Money(int(tiyn)).format("ru")
        return cls(ledger, Users(ledger.engine, ledger.clock), env)

    def render(
        self,
        request: Request,
        template: str,
        status: int = 200,
        session: Session | None = None,
        **values: Any,
    ) -> HTMLResponse:
        lang = choose_lang(request)
        t = translator(lang)
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        html = self.env.get_template(template).render(
            t=t,
            lang=lang,
            langs=LANG_NAMES,
            here=quote(here, safe="/?=&"),
            session=session,
            may=may,
            prefix=PREFIX,
            **values,
        )
        response = HTMLResponse(html, status_code=status)
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; form-action 'self'; frame-ancestors 'none'"
        )
        return response

    def session(self, request: Request) -> Session | None:
        cookie = request.cookies.get(SESSION_COOKIE)
        return None if not cookie else self.users.session(cookie)

    def guard(self, request: Request, needed: str) -> Session | Response:
        """The request's session when its user has the role ``needed``; otherwise the answer:
        a redirect to the login page, or the 403 page in the user's language."""
        session = self.session(request)
        if session is None:
            target = quote(safe_next(request.url.path), safe="/")
            return RedirectResponse(f"{PREFIX}/login?next={target}", status_code=303)
        if not may(session.user.role, needed):
            t = translator(choose_lang(request))
            message = t(
                "forbidden_role", needed=t(f"role_{needed}"), role=t(f"role_{session.user.role}")
            )
            return self.render(request, "forbidden.html", 403, session, message=message)
        return session

    def acting(self, request: Request, needed: str, csrf: str) -> Session | Response:
        """:meth:`guard` for a form that changes something: the CSRF token checked too."""
        session = self.guard(request, needed)
        if isinstance(session, Response):
            return session
        refused = self.csrf_refused(request, session, csrf)
        return session if refused is None else refused

    def csrf_refused(self, request: Request, session: Session | None, sent: str) -> Response | None:
        """None when the form's token is the session's; otherwise the 403 page."""
        expected = session.csrf_token if session is not None else ""
        if expected and sent and hmac.compare_digest(expected.encode(), sent.encode()):
            return None
        message = translator(choose_lang(request))("forbidden_csrf")
        return self.render(request, "forbidden.html", 403, session, message=message)


def set_session_cookie(response: Response, request: Request, session_id: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=ABSOLUTE_S,
        path=PREFIX + "/",
        httponly=True,
        samesite="strict",
        secure=is_https(request),
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path=PREFIX + "/",
        httponly=True,
        samesite="strict",
        secure=is_https(request),
    )


def new_token() -> str:
    return secrets.token_urlsafe(32)
