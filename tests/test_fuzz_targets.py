"""The fuzz targets (fuzz/targets.py) hold on their seeds and on bounded random input, and
``python -m fuzz.run`` runs one under atheris: so ``make fuzz`` cannot rot unseen."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz.targets import TARGETS, seeds

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_every_target_holds_on_its_seeds(name: str) -> None:
    found = seeds(name)
    assert found and any(found), "a target without a real seed"
    for seed in found:
        TARGETS[name](seed)


@pytest.mark.parametrize("name", sorted(TARGETS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400))
def test_every_target_holds_on_random_bytes(name: str, data: bytes) -> None:
    TARGETS[name](data)


@pytest.mark.parametrize("name", ["ccnet", "id003", "ssp"])
@settings(max_examples=60, deadline=None)
@given(flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 7)), max_size=6))
def test_frame_targets_hold_on_damaged_seeds(name: str, flips: list[tuple[int, int]]) -> None:
    data = bytearray(seeds(name)[0])
    for at, bit in flips:
        data[at % len(data)] ^= 1 << bit
    TARGETS[name](bytes(data))


def test_a_printer_url_with_a_port_that_is_not_a_number_is_refused_in_words() -> None:
    # Found by the printer_url target: urllib's ValueError escaped parse_url.
    from drivers.printer.connection import PrinterConnectionError, parse_url

    for url in ("socket://127.0.0.1:990k", "tcp://host:99999"):
        with pytest.raises(PrinterConnectionError, match="needs"):
            parse_url(url)
    TARGETS["printer_url"](b"socket://127.0.0.1:990k")


def test_the_fuzz_runner_runs_a_target_under_atheris(tmp_path: Path) -> None:
    if importlib.util.find_spec("atheris") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("atheris is not installed (it is in the dev extra)")
        pytest.skip("atheris is not installed (pip install -e '.[dev]')")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "fuzz.run",
            "--seconds",
            "2",
            "--target",
            "ccnet",
            "--corpus",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["ccnet"]["ok"] and report["ccnet"]["runs"] > 100
    assert report["ccnet"]["coverage"] > 20  # the drivers were instrumented, not just Python
    assert (tmp_path / "ccnet" / "seed-0").is_file()
