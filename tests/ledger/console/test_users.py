"""Users: ``kiosk ledger user add|list|disable|set-password`` and the admins' Users page,
each change kept in the action record."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

import kiosk.cli as cli
from sync.ledger.console.texts import TEXTS
from sync.ledger.service import Ledger
from sync.ledger.users import Users
from tests.ledger.cli_child import ensure_ledger_command
from tests.ledger.console.helpers import PASSWORD, Browser

Browsers = Callable[[], Browser]


@pytest.fixture
def kiosk_main(monkeypatch: pytest.MonkeyPatch) -> Callable[[list[str]], int]:
    monkeypatch.setattr(cli, "_COMMAND_MODULES", cli._COMMAND_MODULES)
    ensure_ledger_command()
    return cli.main


def test_user_add_prints_a_password_that_logs_in(
    kiosk_main: Callable[[list[str]], int],
    sqlite_url: str,
    capsys: pytest.CaptureFixture[str],
    make_ledger: Callable[..., Ledger],
) -> None:
    argv = ["ledger", "user", "add", "aliya.k", "--role", "operator", "--db", sqlite_url]
    assert kiosk_main(argv) == 0
    password = capsys.readouterr().out.strip().splitlines()[-1]
    assert len(password) == 20
    ledger = make_ledger(sqlite_url)
    users = Users(ledger.engine, ledger.clock)
    assert users.login("aliya.k", password, "127.0.0.1").session_id is not None
    assert kiosk_main(argv) == 2
    assert "exists already" in capsys.readouterr().err
    assert kiosk_main(["ledger", "user", "list", "--db", sqlite_url]) == 0
    assert capsys.readouterr().out.startswith("aliya.k  operator  since ")
    assert [a.action for a in users.actions()] == ["user add"]
    assert users.actions()[0].user_name.startswith("shell")


def test_user_passwords_from_a_file_set_password_and_disable(
    kiosk_main: Callable[[list[str]], int],
    sqlite_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make_ledger: Callable[..., Ledger],
) -> None:
    secret = tmp_path / "password"
    secret.write_text(PASSWORD + "\n", "utf-8")
    add = ["ledger", "user", "add", "boss", "--role", "admin", "--password-file", str(secret)]
    assert kiosk_main([*add, "--db", sqlite_url]) == 0
    assert PASSWORD not in capsys.readouterr().out
    ledger = make_ledger(sqlite_url)
    users = Users(ledger.engine, ledger.clock)
    session = users.login("boss", PASSWORD, "127.0.0.1").session_id
    assert session is not None and users.session(session) is not None
    assert kiosk_main(["ledger", "user", "set-password", "boss", "--db", sqlite_url]) == 0
    new = capsys.readouterr().out.strip().splitlines()[-1]
    assert users.session(session) is None  # a new password ends the sessions
    assert users.login("boss", PASSWORD, "127.0.0.1").session_id is None
    assert users.login("boss", new, "127.0.0.1").session_id is not None
    disable = ["ledger", "user", "disable", "boss", "--reason", "left", "--db", sqlite_url]
    assert kiosk_main(disable) == 0
    assert users.login("boss", new, "127.0.0.1").session_id is None
    assert kiosk_main(["ledger", "user", "disable", "ghost", "--db", sqlite_url]) == 2
    assert "no user 'ghost'" in capsys.readouterr().err
    short = tmp_path / "short"
    short.write_text("tiny\n", "utf-8")
    bad = ["ledger", "user", "add", "x1", "--role", "viewer", "--password-file", str(short)]
    assert kiosk_main([*bad, "--db", sqlite_url]) == 2
    assert "12 to 1024 characters" in capsys.readouterr().err
    bad_role = ["ledger", "user", "add", "x2", "--role", "root", "--db", sqlite_url]
    with pytest.raises(SystemExit):
        kiosk_main(bad_role)


def test_an_admin_adds_and_disables_users_with_a_reason(browser: Browsers) -> None:
    admin = browser()
    admin.login("admin1")
    admin.get("/console/lang/en?next=/console/users")
    token = admin.form_token("/console/users")
    no_reason = admin.post(
        "/console/users", {"csrf": token, "name": "new.one", "role": "viewer", "reason": " "}
    )
    assert no_reason.status_code == 422 and TEXTS["reason_required"]["en"] in no_reason.text
    added = admin.post(
        "/console/users",
        {"csrf": token, "name": "new.one", "role": "viewer", "reason": "night shift"},
    )
    assert added.status_code == 200
    shown = re.search(r"Password \(shown once\): (\S+)</p>", added.text)
    assert shown is not None
    newcomer = browser()
    assert newcomer.login("new.one", shown.group(1)).status_code == 303
    assert newcomer.get("/console/terminals").status_code == 200
    disabled = admin.post(
        "/console/users/new.one/disable", {"csrf": token, "reason": "left the company"}
    )
    assert disabled.status_code == 200 and "new.one disabled." in disabled.text
    assert newcomer.get("/console/terminals").status_code == 303  # the session ended
    assert newcomer.login("new.one", shown.group(1)).status_code == 401
    record = admin.get("/console/users").text
    assert "left the company" in record and "night shift" in record
    assert record.index("user disable") < record.index("user add")  # newest first
    yourself = admin.post("/console/users/admin1/disable", {"csrf": token, "reason": "oops"})
    assert yourself.status_code == 422 and TEXTS["not_yourself"]["en"] in yourself.text
    forged = admin.post("/console/users/oper1/disable", {"csrf": "nope", "reason": "x"})
    assert forged.status_code == 403


def test_an_operator_cannot_disable_a_user(browser: Browsers, users: Users) -> None:
    operator = browser()
    operator.login("oper1")
    token = operator.form_token("/console/terminals")
    answer = operator.post("/console/users/view1/disable", {"csrf": token, "reason": "x"})
    assert answer.status_code == 403
    assert next(u for u in users.all() if u.name == "view1").active
