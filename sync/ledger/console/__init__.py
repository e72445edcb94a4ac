"""The back office's console at ``/console/``: server-rendered pages (Jinja2, plain forms,
one small CSS file) in Kazakh, Russian and English over the ledger's database.

One module per page: :mod:`.login` (login, logout, language), :mod:`.terminals`,
:mod:`.users_page`; :mod:`.web` holds the session, CSRF and rendering they share."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from sync.ledger.console import login, terminals, users_page
from sync.ledger.console.web import PREFIX, STATIC, Console
from sync.ledger.service import Ledger


def mount_console(app: FastAPI, ledger: Ledger) -> None:
    """Serve the console on ``app`` under ``/console/``."""
    console = Console.over(ledger)
    router = APIRouter(prefix=PREFIX)
    login.add_routes(router, console)
    terminals.add_routes(router, console)
    users_page.add_routes(router, console)
    app.include_router(router)

    @app.get(PREFIX, include_in_schema=False)
    def console_root() -> RedirectResponse:
        return RedirectResponse(PREFIX + "/", status_code=307)

    app.mount(PREFIX + "/static", StaticFiles(directory=STATIC), name="console-static")
