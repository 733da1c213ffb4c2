"""Load and data helpers for scripts/bench.py (standard library only).

* `wrk()` runs the load generator and parses its report;
* `seed_user()` gives the sandbox a user whose connection has enabled accounts;
* `capture()` reads the JSON bytes the bare axum baseline will answer with;
* `million_db()` writes a database holding 1,000,000 transactions with SQL.
"""

from __future__ import annotations

import http.client
import json
import re
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CONFIG_TOKEN = "sandbox-config-token"
CLIENT = {"client_id": "12345678", "client_secret": "sandbox-secret"}
TEST_CONNECTOR = "338178e6-3d01-564f-9a7b-52ca442459bf"


@dataclass
class Route:
    """One benchmarked route: what wrk sends and the file the baseline answers from."""

    label: str
    method: str
    path: str
    body_file: str
    authenticated: bool
    # The JSON body sent (POST /auth/init sends the client's credentials).
    body: dict | None = None
    # The target for the rate, as a fraction of bare axum's.
    target_ratio: float | None = None


ROUTES = [
    Route("GET /2.0/users/me/accounts", "GET", "/2.0/users/me/accounts", "accounts.json", True,
          target_ratio=0.25),
    Route("GET /2.0/users/me/transactions?limit=100", "GET", "/2.0/users/me/transactions?limit=100",
          "transactions.json", True, target_ratio=0.25),
    Route("POST /2.0/auth/init", "POST", "/2.0/auth/init", "auth_init.json", False, CLIENT,
          target_ratio=0.10),
    Route("GET /2.0/users/me/investments", "GET", "/2.0/users/me/investments",
          "investments.json", True),
]


def routes(user: dict) -> list[Route]:
    """ROUTES, and the two writes of the seeded user: an update of an enabled account that
    changes nothing (`{"disabled": false}` with `?all`: one write transaction) and a sync of
    its connection that finds nothing new (PUT)."""
    connection = user["connections"][0]
    account = next(a for a in connection["accounts"] if a.get("disabled") is None)
    return ROUTES + [
        Route("POST /2.0/users/me/accounts/{id}?all (nothing to change)", "POST",
              f"/2.0/users/me/accounts/{account['id']}?all", "account_update.json", True,
              {"disabled": False}, target_ratio=0.10),
        Route("PUT /2.0/users/me/connections/{id} (nothing new)", "PUT",
              f"/2.0/users/me/connections/{connection['id']}", "connection_sync.json", True,
              {}, target_ratio=0.10),
    ]


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if not m:
        raise ValueError(f"unparsable wrk latency {text!r}")
    return float(m.group(1)) * _UNITS[m.group(2)]


def parse_wrk(out: str) -> WrkResult:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    non_2xx = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    socket_errors = sum(int(g) for g in m.groups()) if m else 0
    return WrkResult(rps, p50, p99, requests, non_2xx, socket_errors)


def wrk(port: int, route: Route, token: str, seconds: float, connections: int,
        threads: int = 2) -> WrkResult:
    """One wrk run against 127.0.0.1:port; the same request bytes for both servers."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(f'wrk.method = "{route.method}"\n')
        if route.body is not None:
            lua.write(f"wrk.body = '{json.dumps(route.body)}'\n")
            lua.write('wrk.headers["Content-Type"] = "application/json"\n')
        if route.authenticated:
            lua.write(f'wrk.headers["Authorization"] = "Bearer {token}"\n')
        script = lua.name
    try:
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency",
             "-s", script, f"http://127.0.0.1:{port}{route.path}"],
            capture_output=True, text=True, timeout=seconds + 60, check=True,
        ).stdout
    finally:
        Path(script).unlink(missing_ok=True)
    return parse_wrk(out)


def call(port: int, method: str, path: str, body: dict | None = None,
         token: str | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def seed_user(port: int) -> dict:
    """A user whose test-connector connection has its checking, savings, market and life
    insurance accounts enabled (about 530 transactions of history on the first two, and the
    lines of the last two); returns the scenario's answer for that user."""
    doc = {"users": [{"connections": [{
        "connector": TEST_CONNECTOR, "login": "bench", "password": "1234",
        "accounts": {"enabled": ["checking", "savings", "market", "lifeinsurance"]},
    }]}]}
    status, body = call(port, "POST", "/sandbox/scenario", doc, CONFIG_TOKEN)
    if status != 200:
        raise RuntimeError(f"POST /sandbox/scenario -> {status} {body[:300]!r}")
    return json.loads(body)["users"][0]


def capture(port: int, token: str, into: Path, routes: list[Route] = ROUTES) -> None:
    """The sandbox's answers on the benchmarked routes, byte for byte, as the baseline's files."""
    for route in routes:
        status, data = call(port, route.method, route.path, route.body,
                            token if route.authenticated else None)
        if status != 200:
            raise RuntimeError(f"{route.label} -> {status} {data[:300]!r}")
        (into / route.body_file).write_bytes(data)


def million_db(seeded: Path, rows: int) -> float:
    """Adds `rows` transactions to the seeded user's checking account of a stopped server's
    database, in one SQL statement (the API would take minutes to sync that much history),
    and checkpoints the WAL. Returns the number of transactions the file then holds."""
    db = sqlite3.connect(seeded, isolation_level=None)
    try:
        account, user, connection = db.execute(
            "SELECT id, id_user, id_connection FROM accounts WHERE type = 'checking' "
            "AND disabled IS NULL ORDER BY id LIMIT 1").fetchone()
        db.execute("BEGIN IMMEDIATE")
        db.execute(
            """INSERT INTO transactions (id_account, id_user, id_connection, bank_key, webid,
                   application_date, date, rdate, vdate, value, type, original_wording,
                   simplified_wording, stemmed_wording, date_scraped, last_update)
               WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < ? - 1)
               SELECT ?, ?, ?, 'bench-' || k, 'bench-' || k, d, d, d, d,
                      printf('-%d.%02d', k % 300, k % 100), 'card', 'CB BENCH ' || k, 'BENCH',
                      'bench', '2026-01-15 10:00:00', '2026-01-15 10:00:00'
               FROM (SELECT k, date('2000-01-01', '+' || (k / 100) || ' days') AS d FROM n)""",
            (rows, account, user, connection))
        # The account's counter, whether triggers or the code keep it.
        db.execute("UPDATE accounts SET nb_transactions = (SELECT COUNT(*) FROM transactions t "
                   "WHERE t.id_account = accounts.id AND t.deleted IS NULL) WHERE id = ?", (account,))
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return db.execute("SELECT COUNT(*) FROM transactions").fetchone()[0]
    finally:
        db.close()
