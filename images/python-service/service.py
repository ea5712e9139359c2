"""Stand-in for the platform's Python services (backend, ai-processor, playwright).

It meets the image contract (docs/image-contract.md) with the standard library alone, so the
platform comes up before the application exists:
  GET /healthz  {status, timestamp, database, redis} from real checks; 503 when one fails
  GET /metrics  Prometheus text: http_requests_total, http_request_duration_seconds
  logs          one JSON object per line on stdout
  credentials   X from X_FILE (dev, Docker secret files) or X (aws, injected ECS secrets)
  `service.py migrate` applies migrations/*.sql as DB_USER (the stand-in's `alembic upgrade head`).
PostgreSQL and Redis are spoken to with minimal protocol clients (no driver without pip).
"""

import base64
import hashlib
import hmac
import json
import os
import signal
import socket
import ssl
import struct
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHECK_TIMEOUT_SECONDS = 2.0
# prometheus-fastapi-instrumentator's default buckets, so the platform's alerts read the same series.
DURATION_BUCKETS = (0.1, 0.5, 1.0)
APP_DIR = Path(__file__).resolve().parent
SERVICE = os.environ.get("SERVICE_NAME") or socket.gethostname()


def log(level, message, **fields):
    record = {"timestamp": datetime.now(timezone.utc).isoformat(), "level": level, "service": SERVICE, "message": message, **fields}
    print(json.dumps(record), flush=True)


def credential(name):
    """The contract: NAME_FILE names a file (dev), NAME carries the value (aws)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name)


def connect(host, port, use_tls):
    sock = socket.create_connection((host, int(port)), timeout=CHECK_TIMEOUT_SECONDS)
    if use_tls:
        return ssl.create_default_context().wrap_socket(sock, server_hostname=host)
    return sock


def enabled(name):
    return os.environ.get(name, "").lower() in ("1", "true", "require", "verify-full")


# --- PostgreSQL: frontend/backend protocol 3.0, SCRAM-SHA-256 or cleartext password ---------------


class PostgresError(Exception):
    pass


def _read_exact(sock, size):
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise PostgresError("the server closed the connection")
        data += chunk
    return data


def _read_message(sock):
    kind = _read_exact(sock, 1)
    (length,) = struct.unpack("!I", _read_exact(sock, 4))
    return kind, _read_exact(sock, length - 4)


def _send(sock, kind, payload):
    sock.sendall(kind + struct.pack("!I", len(payload) + 4) + payload)


def _error_text(payload):
    fields = dict((part[:1], part[1:].decode(errors="replace")) for part in payload.split(b"\0") if part)
    return f"{fields.get(b'C', '')} {fields.get(b'M', 'error')}".strip()


def _scram(sock, user, password, mechanisms):
    if b"SCRAM-SHA-256" not in mechanisms.split(b"\0"):
        raise PostgresError("the server offers no SCRAM-SHA-256")
    nonce = base64.b64encode(os.urandom(18)).decode()
    first_bare = f"n=,r={nonce}"
    first = ("n,," + first_bare).encode()
    _send(sock, b"p", b"SCRAM-SHA-256\0" + struct.pack("!I", len(first)) + first)
    kind, payload = _read_message(sock)
    if kind == b"E":
        raise PostgresError(_error_text(payload))
    server_first = payload[4:].decode()
    attrs = dict(item.split("=", 1) for item in server_first.split(","))
    if not attrs["r"].startswith(nonce):
        raise PostgresError("SCRAM nonce mismatch")
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(attrs["s"]), int(attrs["i"]))
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    final_bare = f"c=biws,r={attrs['r']}"
    auth_message = f"{first_bare},{server_first},{final_bare}".encode()
    signature = hmac.new(hashlib.sha256(client_key).digest(), auth_message, hashlib.sha256).digest()
    proof = bytes(a ^ b for a, b in zip(client_key, signature))
    _send(sock, b"p", f"{final_bare},p={base64.b64encode(proof).decode()}".encode())
    kind, payload = _read_message(sock)
    if kind == b"E":
        raise PostgresError(_error_text(payload))
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    expected = base64.b64encode(hmac.new(server_key, auth_message, hashlib.sha256).digest()).decode()
    if payload[4:].decode() != f"v={expected}":
        raise PostgresError("the server's SCRAM signature does not verify")


def postgres_query(sql, user=None):
    """Runs `sql` (simple query protocol) on DB_HOST as `user` (DB_USER); raises on any failure."""
    host, port = os.environ["DB_HOST"], os.environ.get("DB_PORT", "5432")
    user = user or os.environ["DB_USER"]
    password = credential("DB_PASSWORD") or ""
    sock = socket.create_connection((host, int(port)), timeout=CHECK_TIMEOUT_SECONDS)
    try:
        if enabled("DB_SSLMODE"):
            sock.sendall(struct.pack("!II", 8, 80877103))
            if _read_exact(sock, 1) != b"S":
                raise PostgresError("the server refused TLS")
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        params = b"user\0" + user.encode() + b"\0database\0" + os.environ.get("DB_NAME", user).encode() + b"\0\0"
        sock.sendall(struct.pack("!II", len(params) + 8, 196608) + params)
        while True:
            kind, payload = _read_message(sock)
            if kind == b"E":
                raise PostgresError(_error_text(payload))
            if kind == b"R":
                (code,) = struct.unpack("!I", payload[:4])
                if code == 10:
                    _scram(sock, user, password, payload[4:])
                elif code == 3:
                    _send(sock, b"p", password.encode() + b"\0")
                elif code not in (0, 12):
                    raise PostgresError(f"unsupported authentication method {code}")
            if kind == b"Z":
                break
        _send(sock, b"Q", sql.encode() + b"\0")
        error = None
        while True:
            kind, payload = _read_message(sock)
            if kind == b"E":
                error = _error_text(payload)
            if kind == b"Z":
                break
        _send(sock, b"X", b"")
        if error:
            raise PostgresError(error)
    finally:
        sock.close()


# --- Redis: RESP2 AUTH and PING ---------------------------------------------------------------------


def _redis_command(sock, reader, *args):
    frame = f"*{len(args)}\r\n".encode() + b"".join(f"${len(a.encode())}\r\n{a}\r\n".encode() for a in args)
    sock.sendall(frame)
    return reader.readline().decode().rstrip("\r\n")


def redis_ping():
    sock = connect(os.environ["REDIS_HOST"], os.environ.get("REDIS_PORT", "6379"), enabled("REDIS_TLS"))
    try:
        reader = sock.makefile("rb")
        password = credential("REDIS_PASSWORD")
        if password:
            reply = _redis_command(sock, reader, "AUTH", password)
            if reply != "+OK":
                raise ConnectionError(reply.lstrip("-"))
        reply = _redis_command(sock, reader, "PING")
        if reply != "+PONG":
            raise ConnectionError(reply.lstrip("-"))
    finally:
        sock.close()


def check(name, configured, probe):
    """'healthy', 'not configured' (a service without that dependency) or 'unhealthy: <reason>'."""
    if not configured:
        return "not configured"
    try:
        probe()
        return "healthy"
    except Exception as error:  # noqa: BLE001 - any failure is the dependency's state, reported as such
        log("warning", f"{name} check failed", dependency=name, error=str(error) or type(error).__name__)
        return f"unhealthy: {str(error) or type(error).__name__}"


def health():
    database = check("database", "DB_HOST" in os.environ, lambda: postgres_query("SELECT 1"))
    redis = check("redis", "REDIS_HOST" in os.environ, redis_ping)
    healthy = not any(state.startswith("unhealthy") for state in (database, redis))
    return healthy, {
        "status": "healthy" if healthy else "unhealthy",
        "timestamp": datetime.now(timezone.utc).isoformat(),
        "database": database,
        "redis": redis,
    }


# --- HTTP: /healthz, /metrics, and the request metrics ---------------------------------------------


class Metrics:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = {}  # (method, handler, status) -> count
        self.durations = {}  # (method, handler) -> [bucket counts..., sum, count]

    def observe(self, method, handler, status, seconds):
        with self.lock:
            key = (method, handler, str(status))
            self.requests[key] = self.requests.get(key, 0) + 1
            series = self.durations.setdefault((method, handler), [0] * len(DURATION_BUCKETS) + [0.0, 0])
            for i, bound in enumerate(DURATION_BUCKETS):
                if seconds <= bound:
                    series[i] += 1
            series[-2] += seconds
            series[-1] += 1

    def render(self):
        lines = [
            "# HELP http_requests_total Total number of requests by method, status and handler.",
            "# TYPE http_requests_total counter",
        ]
        with self.lock:
            for (method, handler, status), count in sorted(self.requests.items()):
                lines.append(f'http_requests_total{{handler="{handler}",method="{method}",status="{status}"}} {count}')
            lines += [
                "# HELP http_request_duration_seconds Latency with only few buckets by handler.",
                "# TYPE http_request_duration_seconds histogram",
            ]
            for (method, handler), series in sorted(self.durations.items()):
                labels = f'handler="{handler}",method="{method}"'
                for bound, count in zip(DURATION_BUCKETS, series):
                    lines.append(f'http_request_duration_seconds_bucket{{{labels},le="{bound}"}} {count}')
                lines.append(f'http_request_duration_seconds_bucket{{{labels},le="+Inf"}} {series[-1]}')
                lines.append(f"http_request_duration_seconds_sum{{{labels}}} {series[-2]}")
                lines.append(f"http_request_duration_seconds_count{{{labels}}} {series[-1]}")
        return "\n".join(lines) + "\n"


METRICS = Metrics()


class Handler(BaseHTTPRequestHandler):
    server_version = "osint-standin"

    def do_GET(self):  # noqa: N802 - http.server's naming
        started = time.monotonic()
        path = self.path.split("?", 1)[0]
        if path == "/healthz":
            healthy, body = health()
            status, content, ctype = (200 if healthy else 503), json.dumps(body), "application/json"
        elif path == "/metrics":
            status, content, ctype = 200, METRICS.render(), "text/plain; version=0.0.4; charset=utf-8"
        elif path == "/":
            status, content, ctype = 200, json.dumps({"service": SERVICE, "stand_in": True}), "application/json"
        else:
            status, content, ctype = 404, json.dumps({"detail": "Not Found"}), "application/json"
        payload = content.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        seconds = time.monotonic() - started
        handler = path if status != 404 else "none"
        METRICS.observe("GET", handler, status, seconds)
        log("info", "request", method="GET", path=path, status=status, duration_ms=round(seconds * 1000, 2))

    def log_message(self, format, *args):  # noqa: A002 - the JSON line in do_GET replaces stderr logging
        pass


def watch_for_changes():
    """Development target: re-executes itself when a source file changes (hot reload)."""
    def snapshot():
        return {p: p.stat().st_mtime for p in APP_DIR.rglob("*.py")}

    before = snapshot()
    while True:
        time.sleep(1)
        if snapshot() != before:
            log("info", "source changed, reloading")
            os.execv(sys.executable, [sys.executable, *sys.argv])


def serve(reload):
    port = int(os.environ.get("PORT", "8000"))
    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    if reload:
        threading.Thread(target=watch_for_changes, daemon=True).start()
    log("info", "listening", port=port, reload=reload)
    server.serve_forever()
    log("info", "stopped")


def migrate():
    revisions = sorted((APP_DIR / "migrations").glob("*.sql"))
    for revision in revisions:
        try:
            postgres_query(revision.read_text(encoding="utf-8"))
        except Exception as error:  # noqa: BLE001 - reported, then the job's exit code says it failed
            log("error", "migration failed", revision=revision.name, error=str(error))
            return 1
        log("info", "migration applied", revision=revision.name)
    log("info", "at head", revisions=len(revisions))
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["migrate"]:
        sys.exit(migrate())
    serve(reload="--reload" in sys.argv[1:])
