#!/usr/bin/env python3
"""Foundation benchmarks for powens-sandbox (standard library only).

Runs the release binary several times and prints a Markdown table of medians:

  * startup, new database: process start -> first `200` from GET /health, on a fresh file
  * startup, existing database: the same on the file the previous run left
  * idle RSS: VmRSS of the server shortly after it answered its first /health
  * binary size: the release binary on disk
  * image size: `powens-sandbox:latest` in podman or docker, or "n/a"

Adding a measurement: write a function taking a `Bench` and returning a list of `Row`, and
append it to `MEASUREMENTS`. `Bench.server()` starts a server on a free port with a
database in a temporary directory and gives back a handle with `.pid`, `.port`,
`.started_s` (seconds from spawn to first 200) and `.get(path)`.

    scripts/bench.py [--binary PATH] [--runs N] [--json FILE]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
IMAGE = "powens-sandbox:latest"
STARTUP_TIMEOUT_S = 30.0
IDLE_SETTLE_S = 0.5


@dataclass
class Row:
    metric: str
    value: str
    detail: str = ""
    # The raw number (for --json); None for "n/a".
    raw: float | None = None
    unit: str = ""


def median_row(metric: str, samples: list[float], unit: str, fmt: str) -> Row:
    med = statistics.median(samples)
    detail = f"min {fmt.format(min(samples))}, max {fmt.format(max(samples))}, n={len(samples)}"
    return Row(metric, f"{fmt.format(med)} {unit}", detail, med, unit)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health_status(port: int) -> int | None:
    """One raw HTTP/1.1 GET /health; the status code, or None if nothing answers yet."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            head = s.recv(64)
    except OSError:
        return None
    parts = head.split(b" ", 2)
    if len(parts) >= 2 and parts[0].startswith(b"HTTP/") and parts[1].isdigit():
        return int(parts[1])
    return None


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


class Server:
    """A running powens-sandbox; use as a context manager."""

    def __init__(self, binary: Path, database: Path, extra_args: list[str] | None = None):
        self.port = free_port()
        self.database = database
        self.log = tempfile.TemporaryFile()
        env = dict(os.environ)
        env.setdefault("RUST_LOG", "warn")
        for k in list(env):
            # The flags below must win over a developer's environment.
            if k in ("POWENS_SANDBOX_LISTEN", "POWENS_SANDBOX_DATABASE"):
                del env[k]
        args = [str(binary), "--listen", f"127.0.0.1:{self.port}", "--database", str(database)]
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            args + (extra_args or []),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
        )
        self.pid = self.proc.pid
        deadline = t0 + STARTUP_TIMEOUT_S
        while True:
            if health_status(self.port) == 200:
                self.started_s = time.perf_counter() - t0
                break
            if self.proc.poll() is not None or time.perf_counter() > deadline:
                self.stop()
                self.log.seek(0)
                out = self.log.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"server did not become healthy (exit {self.proc.returncode}):\n{out}")
            time.sleep(0.001)

    def get(self, path: str) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


@dataclass
class Bench:
    binary: Path
    runs: int
    tmp: Path
    _n: int = field(default=0)

    def fresh_db(self) -> Path:
        self._n += 1
        d = self.tmp / f"run{self._n}"
        d.mkdir()
        return d / "powens-sandbox.db"

    def server(self, database: Path | None = None, extra_args: list[str] | None = None) -> Server:
        return Server(self.binary, database or self.fresh_db(), extra_args)


# --- measurements -------------------------------------------------------------------------


def startup_and_idle_rss(b: Bench) -> list[Row]:
    new_db, existing_db, rss = [], [], []
    for _ in range(b.runs):
        db = b.fresh_db()
        with b.server(db) as s:
            new_db.append(s.started_s * 1000)
            time.sleep(IDLE_SETTLE_S)
            rss.append(rss_kib(s.pid) / 1024)
        with b.server(db) as s:
            existing_db.append(s.started_s * 1000)
    return [
        median_row("startup to first /health 200, new database", new_db, "ms", "{:.1f}"),
        median_row("startup to first /health 200, existing database", existing_db, "ms", "{:.1f}"),
        median_row(f"idle RSS ({IDLE_SETTLE_S:g} s after first 200)", rss, "MiB", "{:.1f}"),
    ]


def binary_size(b: Bench) -> list[Row]:
    mib = b.binary.stat().st_size / (1024 * 1024)
    return [Row("release binary size", f"{mib:.1f} MiB", str(b.binary.relative_to(ROOT)) if b.binary.is_relative_to(ROOT) else b.binary.name, mib, "MiB")]


def image_size(_: Bench) -> list[Row]:
    for engine in ("podman", "docker"):
        if not shutil.which(engine):
            continue
        try:
            out = subprocess.run(
                [engine, "image", "inspect", "--format", "{{.Size}}", IMAGE],
                capture_output=True, text=True, timeout=30,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out.returncode == 0 and out.stdout.strip().isdigit():
            mb = int(out.stdout.strip()) / 1e6
            return [Row("container image size", f"{mb:.1f} MB", f"{IMAGE} ({engine})", mb, "MB")]
    return [Row("container image size", "n/a", f"no {IMAGE} image found")]


MEASUREMENTS: list[Callable[[Bench], list[Row]]] = [
    startup_and_idle_rss,
    binary_size,
    image_size,
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    ap.add_argument("--binary", type=Path, default=target / "release" / "powens-sandbox")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
    args = ap.parse_args()
    binary = args.binary.resolve()
    if not binary.is_file():
        print(f"bench: no binary at {binary}; run `cargo build --release` first", file=sys.stderr)
        return 1

    rows: list[Row] = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="powens-bench-") as tmp:
        b = Bench(binary, args.runs, Path(tmp))
        for m in MEASUREMENTS:
            rows.extend(m(b))
    elapsed = time.perf_counter() - t0

    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip()
    print(f"### powens-sandbox benchmarks ({version}; median of {args.runs} runs; {os.cpu_count()} CPUs)\n")
    print("| metric | median | detail |")
    print("|---|---:|---|")
    for r in rows:
        print(f"| {r.metric} | {r.value} | {r.detail} |")
    print(f"\n_measured in {elapsed:.1f} s_")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(
            {"version": version, "runs": args.runs,
             "rows": [{"metric": r.metric, "value": r.raw, "unit": r.unit, "detail": r.detail} for r in rows]},
            indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
