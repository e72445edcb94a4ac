"""The Users page (admins only): the users, adding one (the generated password is shown
once), disabling one, and the newest actions of the record. Every change needs a reason and
is recorded with who and when (sync.ledger.users)."""

from __future__ import annotations

import functools
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from sync.ledger.console.web import Console, choose_lang, translator
from sync.ledger.users import ROLES, Session, UserError, new_password


def _page(
    console: Console,
    request: Request,
    session: Session,
    status: int = 200,
    notice: str = "",
    error: str = "",
) -> Response:
    return console.render(
        request,
        "users.html",
        status,
        session,
        users=console.users.all(),
        actions=console.users.actions(50),
        roles=ROLES,
        notice=notice,
        error=error,
    )


def add_routes(router: APIRouter, console: Console) -> None:
    page = functools.partial(_page, console)

    @router.get("/users", include_in_schema=False)
    def users(request: Request) -> Response:
        session = console.guard(request, "admin")
        if isinstance(session, Response):
            return session
        return page(request, session)

    @router.post("/users", include_in_schema=False)
    def add_user(
        request: Request,
        csrf: Annotated[str, Form(max_length=200)] = "",
        name: Annotated[str, Form(max_length=200)] = "",
        role: Annotated[str, Form(max_length=40)] = "",
        reason: Annotated[str, Form(max_length=1000)] = "",
    ) -> Response:
        session = console.acting(request, "admin", csrf)
        if isinstance(session, Response):
            return session
        t = translator(choose_lang(request))
        if not reason.strip():
            return page(request, session, 422, error=t("reason_required"))
        password = new_password()
        try:
            console.users.add(name.strip(), role, password, session.user.name, reason.strip())
        except UserError as exc:
            return page(request, session, 422, error=t("user_refused", why=str(exc)))
        return page(request, session, notice=t("user_added", name=name.strip(), password=password))

    @router.post("/users/{name}/disable", include_in_schema=False)
    def disable_user(
        request: Request,
        name: str,
        csrf: Annotated[str, Form(max_length=200)] = "",
        reason: Annotated[str, Form(max_length=1000)] = "",
    ) -> Response:
        session = console.acting(request, "admin", csrf)
        if isinstance(session, Response):
            return session
        t = translator(choose_lang(request))
        if not reason.strip():
            return page(request, session, 422, error=t("reason_required"))
        if name == session.user.name:  # the last admin must not lock everyone out
            return page(request, session, 422, error=t("not_yourself"))
        try:
            console.users.disable(name[:64], session.user.name, reason.strip())
        except UserError as exc:
            return page(request, session, 422, error=t("user_refused", why=str(exc)))
        return page(request, session, notice=t("user_disabled", name=name[:64]))
