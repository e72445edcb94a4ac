"""A browser-like client of the console: a requests session (it keeps cookies) that reads
the forms' CSRF tokens the way a browser sends them back."""

from __future__ import annotations

import re
from typing import Any

import requests

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found is not None, "the page has no CSRF field"
    return found.group(1)


class Browser:
    """One browser on the console at ``base`` (the ledger's URL)."""

    def __init__(self, base: str, **request_options: Any) -> None:
        self.base = base
        self.http = requests.Session()
        # Per request: the environment's CA bundle would win over a session's ``verify``.
        self.options = {"allow_redirects": False, "timeout": 30, **request_options}

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.get(self.base + path, **{**self.options, **kwargs})

    def post(self, path: str, data: dict[str, str], **kwargs: Any) -> requests.Response:
        return self.http.post(self.base + path, data=data, **{**self.options, **kwargs})

    def login(self, name: str, password: str = PASSWORD) -> requests.Response:
        page = self.get("/console/login")
        assert page.status_code == 200
        return self.post(
            "/console/login",
            {
                "username": name,
                "password": password,
                "csrf": csrf_of(page.text),
                "next": "/console/",
            },
        )

    def form_token(self, path: str) -> str:
        page = self.get(path)
        assert page.status_code == 200, page.text
        return csrf_of(page.text)

    def close(self) -> None:
        self.http.close()


def set_cookies(response: requests.Response) -> list[str]:
    """Every Set-Cookie header of an answer, as sent."""
    return list(response.raw.headers.getlist("Set-Cookie"))
