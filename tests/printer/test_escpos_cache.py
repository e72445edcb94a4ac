"""python-escpos' capabilities cache: one owned folder reused by every process, nothing left
in the temporary directory (python-escpos 3.1 makes a new folder per process otherwise)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = "import drivers.printer, escpos.capabilities as c; print(c.pickle_dir); print(c.full_load)"


def _start(tmp_path: Path, **env: str) -> list[str]:
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("ESCPOS_CAPABILITIES_PICKLE_DIR", "XDG_CACHE_HOME")
    }
    environment.update(TMPDIR=str(temp), PYTHONPATH=str(ROOT), **env)
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
        cwd=ROOT,
    )
    return done.stdout.split()


def test_processes_share_one_cache_and_leave_no_temporary_folders(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _start(tmp_path, XDG_CACHE_HOME=str(cache))
    second = _start(tmp_path, XDG_CACHE_HOME=str(cache))
    folder = cache / "kiosk-terminal" / "escpos"
    assert first == [str(folder), "True"]  # parsed once and pickled
    assert second == [str(folder), "False"]  # the next process loads the pickle
    assert folder.stat().st_mode & 0o077 == 0
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_cache_folder_others_can_write_is_not_used(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    planted = cache / "kiosk-terminal" / "escpos"
    planted.mkdir(parents=True)
    planted.chmod(0o777)  # anyone could plant a pickle here: python-escpos would load it
    chosen, _ = _start(tmp_path, XDG_CACHE_HOME=str(cache))
    assert chosen != str(planted)
    assert chosen == str(tmp_path / "tmp" / f"kiosk-terminal-escpos-{os.getuid()}")
    assert [path.name for path in (tmp_path / "tmp").iterdir()] == [Path(chosen).name]
