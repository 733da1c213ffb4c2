#!/usr/bin/env python3
"""Benchmarks of powens-sandbox (standard library, plus `wrk` for the load runs).

Runs the release binary several times and prints a Markdown table of medians, then writes
it to BENCHMARKS.md with the machine it ran on:

  * startup: process start -> first `200` from GET /health, on a new database, on the file
    the previous run left, and on a database holding 1,000,000 transactions
  * idle RSS: VmRSS of the server shortly after it answered its first /health
  * load: requests per second and p50/p99 latency at 32 connections (wrk) on
    GET /2.0/users/me/accounts, a 100-transaction page, POST /2.0/auth/init and
    GET /2.0/users/me/investments, each beside
    a bare axum server (examples/bare-axum.rs) answering the same JSON bytes; RSS after it
  * the account list with the request journal on (the default) and off (--journal-size 0)
  * binary size, and the size of the `powens-sandbox:latest` image in podman or docker
  * the lifecycle benchmark (1,000,000-transaction pagination, 10,000-transaction sync) and
    the webhooks benchmark (delivery rate), run with `cargo bench`

Servers run in their default configuration (log level included); each measured process gets
a database in a temporary directory.

Adding a measurement: write a function taking a `Bench` and returning a list of `Row`, and
append it to `MEASUREMENTS`. `Bench.server()` starts a server on a free port with a
database in a temporary directory and gives back a handle with `.pid`, `.port`,
`.started_s` (seconds from spawn to first 200) and `.get(path)`.

    scripts/bench.py [--binary PATH] [--runs N] [--load-seconds S] [--load-runs N]
                     [--quick] [--no-cargo-benches] [--output FILE] [--json FILE]
                     [--only load,journal_load]
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import re
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_load  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
IMAGE = "powens-sandbox:latest"
STARTUP_TIMEOUT_S = 30.0
IDLE_SETTLE_S = 0.5
MILLION = 1_000_000


@dataclass
class Row:
    metric: str
    value: str
    detail: str = ""
    # The raw number (for --json); None for "n/a".
    raw: float | None = None
    unit: str = ""
    # The issue's target for this figure ("< 50 ms") and whether it is met (None: no target).
    target: str = ""
    met: bool | None = None
    # Which note of NOTES explains a miss.
    note: str = ""


def median_row(metric: str, samples: list[float], unit: str, fmt: str) -> Row:
    med = statistics.median(samples)
    detail = f"min {fmt.format(min(samples))}, max {fmt.format(max(samples))}, n={len(samples)}"
    return Row(metric, f"{fmt.format(med)} {unit}", detail, med, unit)


def with_target(row: Row, target: str, met: bool, note: str) -> Row:
    row.target, row.met, row.note = target, met, note
    return row


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
    """A running powens-sandbox (or, with `argv`, another server with a /health route);
    use as a context manager."""

    def __init__(self, binary: Path, database: Path | None, extra_args: list[str] | None = None,
                 argv: list[str] | None = None):
        self.port = free_port()
        self.database = database
        self.log = tempfile.TemporaryFile()
        env = dict(os.environ)
        for k in list(env):
            # The flags below must win over a developer's environment.
            if k in ("POWENS_SANDBOX_LISTEN", "POWENS_SANDBOX_DATABASE"):
                del env[k]
        if argv is None:
            args = [str(binary), "--listen", f"127.0.0.1:{self.port}", "--database", str(database)]
        else:
            args = argv + ["--listen", f"127.0.0.1:{self.port}"]
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
                raise RuntimeError(f"server did not become healthy (exit {self.proc.returncode}):\n"
                                   f"{self.output()}")
            time.sleep(0.001)

    def output(self) -> str:
        try:
            self.log.seek(0)
            return self.log.read().decode(errors="replace")[-2000:]
        except ValueError:
            return "(log closed)"

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
    bare: Path | None = None
    load_seconds: float = 5.0
    load_runs: int = 3
    connections: int = 32
    cargo_benches: bool = True
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
    new = median_row("startup to first /health 200, new database", new_db, "ms", "{:.1f}")
    idle = median_row(f"idle RSS ({IDLE_SETTLE_S:g} s after first 200)", rss, "MiB", "{:.1f}")
    idle.detail += f"; {idle.raw * 1.048576:.1f} MB"
    return [
        with_target(new, "< 50 ms", new.raw < 50, "startup"),
        median_row("startup to first /health 200, existing database", existing_db, "ms", "{:.1f}"),
        # 15 MB read as 15,000,000 bytes, the stricter reading.
        with_target(idle, "< 15 MB", idle.raw * 1.048576 < 15, "idle_rss"),
    ]


def startup_million(b: Bench) -> list[Row]:
    """Startups on a database holding 1,000,000 transactions, built once with SQL."""
    db = b.fresh_db()
    with b.server(db) as s:
        bench_load.seed_user(s.port)
    t = time.perf_counter()
    held = bench_load.million_db(db, MILLION)
    built_s = time.perf_counter() - t
    samples = []
    for _ in range(b.runs):
        with b.server(db) as s:
            samples.append(s.started_s * 1000)
    row = median_row(f"startup to first /health 200, database of {held:,} transactions",
                     samples, "ms", "{:.1f}")
    size = db.stat().st_size / 1e6
    row.detail += f"; file {size:.0f} MB, written with SQL in {built_s:.0f} s"
    return [row]


def load(b: Bench) -> list[Row]:
    """wrk at `b.connections` connections on the sandbox and on the bare axum baseline, the
    two alternating within each run; RSS of the sandbox after each round."""
    if shutil.which("wrk") is None:
        return [Row("load at 32 connections", "n/a", "wrk is not installed (apt-get install wrk)")]
    if b.bare is None or not b.bare.is_file():
        return [Row("load at 32 connections", "n/a", "no bare-axum baseline binary")]
    bodies = b.tmp / "bare-bodies"
    bodies.mkdir()
    with b.server() as s:
        user = bench_load.seed_user(s.port)
        token = user["auth_token"]
        routes = bench_load.routes(user)
        bench_load.capture(s.port, token, bodies, routes)
        rss_seeded = rss_kib(s.pid) / 1024
        with Server(b.binary, None, argv=[str(b.bare), "--dir", str(bodies)]) as bare:
            results: dict[str, dict[str, list]] = {r.label: {"sandbox": [], "bare": []}
                                                   for r in routes}
            for route in routes:  # warm-up, not measured
                for port in (s.port, bare.port):
                    bench_load.wrk(port, route, token, 1, b.connections)
            rss_after = []
            for _ in range(b.load_runs):
                for route in routes:
                    for name, port in (("sandbox", s.port), ("bare", bare.port)):
                        results[route.label][name].append(
                            bench_load.wrk(port, route, token, b.load_seconds, b.connections))
                time.sleep(1.0)
                rss_after.append(rss_kib(s.pid) / 1024)
    rows = []
    n = b.load_runs
    for route in routes:
        sb, bare_r = results[route.label]["sandbox"], results[route.label]["bare"]
        rps, bare_rps = (statistics.median(x.rps for x in v) for v in (sb, bare_r))
        p50, bare_p50 = (statistics.median(x.p50_ms for x in v) for v in (sb, bare_r))
        p99, bare_p99 = (statistics.median(x.p99_ms for x in v) for v in (sb, bare_r))
        errors = sum(x.non_2xx + x.socket_errors for x in sb)
        ratio = rps / bare_rps
        rate = Row(f"{route.label}: requests/s at {b.connections} connections",
                   f"{rps:,.0f} /s",
                   f"bare axum {bare_rps:,.0f} /s; ratio {ratio:.2f}; n={n} runs of "
                   f"{b.load_seconds:g} s" + (f"; {errors} errors" if errors else ""),
                   rps, "req/s")
        if route.target_ratio is not None:
            rate = with_target(rate, f">= {route.target_ratio:.2f} x bare axum",
                               ratio >= route.target_ratio, "rate")
        rows.append(rate)
        rows.append(Row(f"{route.label}: p50 latency", f"{p50:.2f} ms",
                        f"bare axum {bare_p50:.2f} ms", p50, "ms"))
        rows.append(with_target(Row(f"{route.label}: p99 latency", f"{p99:.2f} ms",
                                    f"bare axum {bare_p99:.2f} ms", p99, "ms"),
                                "< 5 ms", p99 < 5, "p99"))
    after = median_row("RSS after the load runs", rss_after, "MiB", "{:.1f}")
    after.detail += f"; {rss_seeded:.1f} MiB once seeded, before the load"
    rows.append(after)
    return rows


def journal_load(b: Bench) -> list[Row]:
    """The account list under wrk with the request journal on (the default, 1,000 entries)
    and off (`--journal-size 0`), the two servers alternating within each run."""
    if shutil.which("wrk") is None:
        return [Row("account list, journal on and off", "n/a", "wrk is not installed")]
    route = bench_load.ROUTES[0]
    results: dict[str, list] = {"on": [], "off": []}
    with b.server() as on, b.server(extra_args=["--journal-size", "0"]) as off:
        tokens = {"on": bench_load.seed_user(on.port)["auth_token"],
                  "off": bench_load.seed_user(off.port)["auth_token"]}
        servers = {"on": on, "off": off}
        for name, s in servers.items():  # warm-up, not measured
            bench_load.wrk(s.port, route, tokens[name], 1, b.connections)
        for _ in range(b.load_runs):
            for name, s in servers.items():
                results[name].append(
                    bench_load.wrk(s.port, route, tokens[name], b.load_seconds, b.connections))
    rps = {k: statistics.median(x.rps for x in v) for k, v in results.items()}
    p99 = {k: statistics.median(x.p99_ms for x in v) for k, v in results.items()}
    n = b.load_runs
    return [
        Row(f"{route.label}, journal on: requests/s at {b.connections} connections",
            f"{rps['on']:,.0f} /s",
            f"journal off {rps['off']:,.0f} /s; ratio {rps['on'] / rps['off']:.2f}; p99 "
            f"{p99['on']:.2f} ms (off {p99['off']:.2f} ms); n={n} runs of {b.load_seconds:g} s",
            rps["on"], "req/s"),
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
                [engine, "image", "inspect", "--format", "{{.Size}} {{.Created}}", IMAGE],
                capture_output=True, text=True, timeout=30,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        fields = out.stdout.strip().split(" ", 1)
        if out.returncode == 0 and fields and fields[0].isdigit():
            mb = int(fields[0]) / 1e6
            created = fields[1][:16] if len(fields) > 1 else "?"
            return [Row("container image size", f"{mb:.1f} MB",
                        f"{IMAGE} ({engine}), built {created}", mb, "MB")]
    return [Row("container image size", "n/a", f"no {IMAGE} image found (scripts/bench.sh --build-image)")]


def markdown_tables(out: str) -> list[list[list[str]]]:
    """The Markdown tables in a benchmark's output: each a list of rows of cells, header first."""
    tables, current = [], []
    for line in out.splitlines() + [""]:
        line = line.strip()
        if line.startswith("|") and line.endswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    return tables


def cargo_bench(name: str, prefix: str, value_column: str | None = None,
                skip: Callable[[str], bool] = lambda _: False) -> list[Row]:
    """Runs `cargo bench --bench NAME` and turns its tables into rows: the first cell names the
    row; the value is the second cell, or the column whose header contains `value_column`,
    the other cells going to the detail with their headers."""
    declared = re.search(rf'(?ms)^\[\[bench\]\]\s*\nname\s*=\s*"{name}"', (ROOT / "Cargo.toml").read_text())
    if not declared or not (ROOT / "benches" / f"{name}.rs").is_file():
        return [Row(prefix, "n/a", f"no `{name}` benchmark in this tree")]
    t = time.perf_counter()
    out = subprocess.run(["cargo", "bench", "--locked", "--quiet", "--bench", name],
                         cwd=ROOT, capture_output=True, text=True, timeout=1800)
    took = time.perf_counter() - t
    if out.returncode != 0:
        last = out.stderr.strip().splitlines()[-1][:200] if out.stderr.strip() else ""
        return [Row(prefix, "failed", f"`cargo bench --bench {name}` exited {out.returncode}: {last}")]
    rows = []
    for table in markdown_tables(out.stdout):
        header, body = table[0], table[1:]
        col = 1
        if value_column:
            col = next((i for i, h in enumerate(header) if value_column in h), 1)
        for cells in body:
            if len(cells) < 2 or skip(cells[0]):
                continue
            detail = [(f"{header[i]}: " if value_column and i < len(header) else "") + c
                      for i, c in enumerate(cells) if i not in (0, col)]
            rows.append(Row(f"{prefix}: {cells[0]}", cells[col], "; ".join(detail)))
    if rows:
        rows[-1].detail = (rows[-1].detail + "; " if rows[-1].detail else "") + \
            f"`cargo bench --bench {name}`, {took:.0f} s in all"
    return rows


def cargo_benches(b: Bench) -> list[Row]:
    if not b.cargo_benches:
        return []
    return (cargo_bench("lifecycle", "lifecycle",
                        skip=lambda m: m.startswith("transactions the sync") or m == "measurement")
            + cargo_bench("webhooks", "webhook delivery rate", value_column="rate"))


MEASUREMENTS: list[Callable[[Bench], list[Row]]] = [
    startup_and_idle_rss,
    startup_million,
    load,
    journal_load,
    binary_size,
    image_size,
    cargo_benches,
]

# Why a target is missed and what would close it; shown in BENCHMARKS.md for missed targets.
# The figures quoted come from profiling the release binary (perf) on the 2-core machine the
# checked-in BENCHMARKS.md was measured on.
NOTES: dict[str, str] = {
    "startup": (
        "**Start-up.** Start-up opens the database, checks the migrations, upserts the catalogue "
        "and the webhook configuration; nothing in it grows with the data, so a miss points at "
        "a slow disk or a busy machine rather than at the code."
    ),
    "idle_rss": (
        "**Idle RSS.** About 10 MiB of it is the binary's own machine code, mapped from the "
        "file as start-up runs through clap, tracing, the migrator, sqlx and hyper (clean "
        "pages, shared and reclaimable); only about 2 MiB is heap and stacks (`smaps_rollup`: "
        "RssFile 12 MiB with libc, RssAnon 2 MiB). What would close it: less code. Measured "
        "with `opt-level = \"s\"`, `lto = \"fat\"` and `codegen-units = 1` in the release "
        "profile: a 9.7 MB binary instead of 15.9 MB and an idle RSS of 10.6 MiB instead of "
        "14.9 MiB, for about 7% fewer account reads and 20% fewer transaction pages per "
        "second, and release builds twice as long."
    ),
    "rate": (
        "**Rates against bare axum.** What is left of a read is reaching SQLite through sqlx: "
        "each SQLite connection runs on an OS thread of its own, so every statement is a round "
        "trip between a tokio worker and that thread, with a wake-up each way, and every row "
        "is copied out of SQLite value by value (one allocation per column) before it is "
        "decoded. Since the token is resolved from memory, an account list is one pool "
        "acquire and one statement; a 100-transaction page is one acquire and three statements "
        "(the enabled-account check, the total and bounds together, the page), and its time goes in the 101 rows: copying, decoding, and turning "
        "each into the wire type (amounts, dates in the API's zone, `formatted_value`) and "
        "into bytes. Writes go through the single writer connection one transaction at a "
        "time; `POST /auth/init` is about eight statements (BEGIN, the client, the user, the "
        "token and its text, the payload's user, the subscribers, COMMIT), each a round trip "
        "to that thread, so its rate is the writer's. A sync that finds nothing new still "
        "regenerates and compares the bank's ledger and writes its log row and events, about "
        "11 ms each, one at a time. Profiles: hardware counters are not available in this VM "
        "(`perf stat -e instructions true` says `<not supported>`) and the release binary is "
        "stripped, so the split above comes from timing requests one at a time and removing "
        "work step by step. What would close it: a synchronous SQLite driver called on a "
        "thread the request already runs on (rusqlite, a connection per worker and one "
        "writer thread running whole transactions as closures: a statement then costs "
        "microseconds, and batching several callers' closures into one transaction, group "
        "commit, becomes cheap); and, for the page, each transaction's JSON rendered when a "
        "sync or an update writes it and concatenated on read. Group commit alone, on sqlx, "
        "would only save the BEGIN and COMMIT round trips of each write (two of about "
        "eight), so it was not done."
    ),
    "p99": (
        "**p99 at 32 connections.** With 32 requests always in flight, latency is at least "
        "32 / rate (Little's law): a p99 under 5 ms needs well over 6,400 requests/s on every "
        "route, on two cores shared with the load generator. Each route misses by the ratio "
        "its rate misses by (see above)."
    ),
}


# What the changes of issue 12 bought, measured side by side (the release binary before and
# after each step, same machine, same minute). Shown in BENCHMARKS.md after the table.
CHANGES = """## What each change bought (issue 12)

Measured with `scripts/bench.py --quick --binary BIN` (wrk, 32 connections, one run of 2 s,
beside bare axum in the same run) and with one client sending 300 requests one at a time
(median of the last 250), on the 2-core machine while other builds ran: the ratios are the
figures to compare, the absolute numbers are noisy.

| step | accounts (ratio to bare axum) | 100-transaction page (ratio) | `POST /auth/init` (ratio) | one at a time: accounts / page |
|---|---:|---:|---:|---:|
| before (commit 473ba51) | 6,457 /s (0.10) | 557 /s (0.03) | 1,815 /s (0.03) | 0.44 / 4.1 ms |
| tokens resolved from memory, no ping on pool acquire | 8,557 /s (0.16) | 497 /s (0.02) | 1,743 /s (0.04) | 0.25 / 1.6 to 2.1 ms |
| page total and bounds in one statement, rows in one hop, dates without chrono's format strings | 10,378 /s (0.18) | 909 /s (0.04) | 2,168 /s (0.04) | 0.24 / 1.2 ms |

- The token cache takes the token's two lookups (and the pool's ping) off every request:
  an account list is now one acquire and one statement.
- The page's five statements became three, the rows no longer wait on sqlx's 50-row
  channel, and the dozen dates each row reads and writes skip chrono's format-string
  parser and `Display` machinery (chrono still handles anything not in the canonical
  shape, so the bytes are the same): a page one at a time went from 1.6 to 1.2 ms.
- Typed rows were already serialized straight into the response buffer (the typed core),
  and the transactions list already walked an index by keyset (`cursor`); the accounts
  and users lists have no cursor. Group commit was not done: see the notes.
"""


# --- output ---------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return (f"{os.cpu_count()} CPUs ({cpu}), {mem} of memory, {platform.system()} "
            f"{platform.release()}")


def load_average() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def git_commit() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                             capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return rev + (" with local changes" if dirty else "") if rev else "unknown"
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


def busy(load: str) -> str:
    try:
        if float(load) < 1.0:
            return ""
    except ValueError:
        return ""
    return (" Other work was running on the machine meanwhile, so the figures are lower and "
            "noisier than an idle machine would give.")


def table(rows: list[Row]) -> str:
    out = ["| metric | median | target | detail |", "|---|---:|---|---|"]
    for r in rows:
        target = ""
        if r.met is not None:
            target = f"{r.target} {'met' if r.met else '**missed**'}"
        out.append(f"| {r.metric} | {r.value} | {target} | {r.detail} |")
    return "\n".join(out)


def report(rows: list[Row], version: str, args: argparse.Namespace, elapsed: float) -> str:
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    missed = [r for r in rows if r.met is False]
    lines = [
        "# Benchmarks",
        "",
        "```sh",
        "./scripts/bench.sh",
        "```",
        "",
        f"Measured on {machine()}, {when}; {version}, commit {git_commit()}. Figures are medians "
        f"of {args.runs} runs (start-up, idle RSS) or {args.load_runs} runs of {args.load_seconds:g} s "
        f"with `wrk` at {args.connections} connections (load); the load generator, the sandbox and "
        "the bare axum baseline share the machine's CPUs over loopback. Load average "
        f"{args.load_before} before the run; took {elapsed:.0f} s." + busy(args.load_before),
        "",
        table(rows),
        "",
        CHANGES,
    ]
    if missed:
        lines += ["## Targets missed", ""]
        seen = set()
        for r in missed:
            lines.append(f"- **{r.metric}**: {r.value}, target {r.target}.")
        for r in missed:
            if r.note in seen or not NOTES.get(r.note):
                continue
            seen.add(r.note)
            lines += ["", NOTES[r.note]]
        lines.append("")
    else:
        lines += ["Every target is met.", ""]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    ap.add_argument("--binary", type=Path, default=target / "release" / "powens-sandbox")
    ap.add_argument("--bare", type=Path, default=target / "release" / "examples" / "bare-axum")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--load-seconds", type=float, default=5.0)
    ap.add_argument("--load-runs", type=int, default=3)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--quick", action="store_true",
                    help="a fast look: 2 runs, 2 s load runs, no cargo benches, no BENCHMARKS.md")
    ap.add_argument("--no-cargo-benches", action="store_true",
                    help="skip the lifecycle and webhooks benchmarks")
    ap.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md",
                    help="where to write the report (default BENCHMARKS.md); '-' for nowhere")
    ap.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
    ap.add_argument("--only", help="run only these measurements (comma-separated function "
                    "names, e.g. load,journal_load); nothing is written to BENCHMARKS.md")
    args = ap.parse_args()
    measurements = MEASUREMENTS
    if args.only:
        wanted = set(args.only.split(","))
        measurements = [m for m in MEASUREMENTS if m.__name__ in wanted]
        args.output = Path("-")
    if args.quick:
        args.runs, args.load_seconds, args.load_runs = 2, 2.0, 1
        args.no_cargo_benches = True
        args.output = Path("-")
    binary = args.binary.resolve()
    if not binary.is_file():
        print(f"bench: no binary at {binary}; run `cargo build --release` first", file=sys.stderr)
        return 1

    rows: list[Row] = []
    args.load_before = load_average()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="powens-bench-") as tmp:
        b = Bench(binary, args.runs, Path(tmp), bare=args.bare.resolve(),
                  load_seconds=args.load_seconds, load_runs=args.load_runs,
                  connections=args.connections, cargo_benches=not args.no_cargo_benches)
        for m in measurements:
            print(f"bench: {m.__name__} ...", file=sys.stderr, flush=True)
            rows.extend(m(b))
    elapsed = time.perf_counter() - t0

    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip()
    text = report(rows, version, args, elapsed)
    print(text)
    if str(args.output) != "-":
        args.output.write_text(text)
        print(f"bench: wrote {args.output}", file=sys.stderr)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(
            {"version": version, "runs": args.runs, "machine": machine(),
             "rows": [{"metric": r.metric, "value": r.raw, "unit": r.unit, "detail": r.detail,
                       "target": r.target or None, "met": r.met} for r in rows]},
            indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
