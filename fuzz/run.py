"""Coverage-guided fuzzing of every parser that reads outside input (targets in fuzz/targets.py).

``python -m fuzz.run [--seconds N] [--target NAME ...] [--corpus DIR]`` runs each target in its
own process under atheris (libFuzzer) for N seconds, starting from the target's seeds and the
corpus kept in DIR/NAME (default fuzz/corpus, not in git), and prints one JSON object: per
target the inputs run, the coverage reached and whether it failed. A failing input is written to
DIR/NAME/crash-*; exit status 1 when any target failed. ``make fuzz`` runs all of them
(FUZZ_SECONDS, default 60 each).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / "fuzz" / "corpus"
_STATS = re.compile(r"#(\d+)\s+(?:DONE|pulse|NEW|REDUCE|INITED)\s+cov: (\d+)")


def _child(name: str, seconds: int, corpus: Path) -> None:
    """Run one target under atheris (this process ends when libFuzzer stops)."""
    import atheris

    with atheris.instrument_imports(include=["drivers", "sync", "kiosk"]):
        from fuzz import targets

        target = targets.TARGETS[name]
        for seed in targets.seeds(name):
            target(seed)  # the parsers are imported here, so they are instrumented
    corpus.mkdir(parents=True, exist_ok=True)
    for number, seed in enumerate(targets.seeds(name)):
        (corpus / f"seed-{number}").write_bytes(seed)
    atheris.Setup(
        [
            sys.argv[0],
            f"-max_total_time={seconds}",
            "-rss_limit_mb=2048",
            f"-artifact_prefix={corpus}/crash-",
            "-print_final_stats=1",
            str(corpus),
        ],
        target,
    )
    atheris.Fuzz()


def run_target(name: str, seconds: int, corpus: Path) -> dict[str, Any]:
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "fuzz.run",
            "--child",
            name,
            "--seconds",
            str(seconds),
            "--corpus",
            str(corpus),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=seconds + 120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    stats = _STATS.findall(done.stderr)
    runs, coverage = (int(stats[-1][0]), int(stats[-1][1])) if stats else (0, 0)
    crashes = sorted(str(path) for path in (corpus / name).glob("crash-*"))
    result: dict[str, Any] = {
        "runs": runs,
        "coverage": coverage,
        "seconds": round(time.monotonic() - started, 1),
        "ok": done.returncode == 0 and not crashes,
    }
    if not result["ok"]:
        result["exit"] = done.returncode
        result["crashes"] = crashes
        result["tail"] = done.stderr.strip().splitlines()[-15:]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz.run", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="per target (default 60)")
    parser.add_argument("--target", action="append", help="a target (repeatable; default all)")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="where each target keeps its corpus (a folder per target)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seconds < 1:
        parser.error("--seconds must be at least 1")
    if args.child:
        _child(args.child, args.seconds, args.corpus / args.child)
        return 0
    from fuzz.targets import TARGETS

    chosen = args.target or list(TARGETS)
    unknown = sorted(set(chosen) - set(TARGETS))
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}; known: {', '.join(TARGETS)}")
    report = {name: run_target(name, args.seconds, args.corpus) for name in chosen}
    print(json.dumps(report, indent=2))
    return 0 if all(entry["ok"] for entry in report.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
