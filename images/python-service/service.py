"""Stand-in for the platform's Python services (backend, ai-processor, playwright).

It meets the image contract (docs/image-contract.md) with the standard library alone, so the
platform comes up before the application exists:
  GET /healthz  {status, timestamp, database, redis} from real checks; 503 when one fails
  GET /metrics  Prometheus text: http_requests_total, http_request_duration_seconds
  logs          one JSON object per line on stdout (LOG_FORMAT=json), at LOG_LEVEL and above, each
                naming SERVICE_NAME and ENVIRONMENT; with DEBUG=true a failure's line carries its traceback
  credentials   X from X_FILE (dev, Docker secret files) or X (aws, injected ECS secrets)
  `service.py migrate` applies migrations/*.sql as DB_USER (the stand-in's `alembic upgrade head`).
  `service.py --reload` (development) re-executes itself when one of its own source files changes;
                it never looks into the dependency directory (the virtualenv) or caches.
PostgreSQL and Redis are spoken to with minimal protocol clients (no driver without pip).
A missing or invalid setting stops it before anything else: one line per problem, exit 2.
"""

import base64
import concurrent.futures
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
import traceback
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHECK_TIMEOUT_SECONDS = 2.0
# prometheus-fastapi-instrumentator's default buckets, so the platform's alerts read the same series.
DURATION_BUCKETS = (0.1, 0.5, 1.0)
APP_DIR = Path(__file__).resolve().parent
RELOAD_POLL_SECONDS = 1.0
# The settings every image reads (docs/image-contract.md, "Settings and credentials").
LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40}
ENVIRONMENTS = ("development", "staging", "production")
FORMATS = ("json", "text")
CONFIG_EXIT = 2


class Settings:
    """SERVICE_NAME, ENVIRONMENT, DEBUG, LOG_LEVEL and LOG_FORMAT, each required and checked."""

    def __init__(self, env):
        self.problems = []
        self.service = self._read(env, "SERVICE_NAME", "the service's name (the log's service field)", lambda v: v != "")
        self.environment = self._read(env, "ENVIRONMENT", f"one of {', '.join(ENVIRONMENTS)}", lambda v: v in ENVIRONMENTS)
        self.debug = self._read(env, "DEBUG", "true or false", lambda v: v in ("true", "false")) == "true"
        self.level = self._read(env, "LOG_LEVEL", f"one of {', '.join(LEVELS)}", lambda v: v in LEVELS) or "info"
        self.format = self._read(env, "LOG_FORMAT", f"one of {', '.join(FORMATS)}", lambda v: v in FORMATS) or "json"

    def _read(self, env, name, expected, valid):
        value = env.get(name)
        if value is None or not valid(value):
            self.problems.append({"variable": name, "expected": expected, "found": "nothing" if value is None else value})
            return None
        return value


SETTINGS = Settings(os.environ)


def log(level, message, **fields):
    if LEVELS[level] < LEVELS[SETTINGS.level]:
        return
    now = datetime.now(timezone.utc).isoformat()
    record = {"timestamp": now, "level": level, "service": SETTINGS.service, "message": message, **fields, "environment": SETTINGS.environment}
    if SETTINGS.format == "text":
        extra = "".join(f" {key}={json.dumps(value)}" for key, value in record.items() if key not in ("timestamp", "level", "service", "message"))
        print(f"{now} {level.upper()} {SETTINGS.service} {message}{extra}", flush=True)
    else:
        print(json.dumps(record), flush=True)


def failure(error):
    """A failure's fields for its log line: the error, and its traceback when DEBUG is on."""
    fields = {"error": str(error) or type(error).__name__}
    if SETTINGS.debug:
        fields["traceback"] = "".join(traceback.format_exception(error))
    return fields


def credential(name):
    """The contract: NAME_FILE names a file (dev), NAME carries the value (aws)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name)


# Name lookups run here so that a check can stop waiting for one: getaddrinfo takes no timeout, and
# the name of a stopped container can take the resolver's retries to fail, longer than the health
# check's own timeout. A few workers bound the lookups still pending.
RESOLVER = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="resolve")


def open_socket(host, port):
    """A TCP connection to host:port, the name lookup and the connect each within CHECK_TIMEOUT_SECONDS."""
    lookup = RESOLVER.submit(socket.getaddrinfo, host, int(port), 0, socket.SOCK_STREAM)
    try:
        addresses = lookup.result(timeout=CHECK_TIMEOUT_SECONDS)
    except concurrent.futures.TimeoutError:
        raise ConnectionError(f"{host}: no address within {CHECK_TIMEOUT_SECONDS} s") from None
    return socket.create_connection(addresses[0][4][:2], timeout=CHECK_TIMEOUT_SECONDS)


def connect(host, port, use_tls):
    sock = open_socket(host, port)
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
    sock = open_socket(host, port)
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
    started = time.monotonic()
    try:
        probe()
        log("debug", f"{name} check passed", dependency=name, duration_ms=round((time.monotonic() - started) * 1000, 2))
        return "healthy"
    except Exception as error:  # noqa: BLE001 - any failure is the dependency's state, reported as such
        log("warning", f"{name} check failed", dependency=name, **failure(error))
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
            body = {"service": SETTINGS.service, "environment": SETTINGS.environment, "stand_in": True}
            status, content, ctype = 200, json.dumps(body), "application/json"
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


def source_files():
    """What hot reload watches: the application's own files, never a virtualenv (the dependency
    volume, hundreds of files) nor hidden directories or bytecode caches."""
    found = []
    for root, dirs, names in os.walk(APP_DIR):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__" and not (Path(root, d) / "pyvenv.cfg").exists())
        found += [Path(root, name) for name in sorted(names) if name.endswith((".py", ".sql"))]
    return found


def watch_for_changes():
    """Development target: re-executes itself when one of its source files changes (hot reload)."""

    def snapshot():
        return {p: p.stat().st_mtime_ns for p in source_files() if p.exists()}

    before = snapshot()
    log("debug", "watching for changes", files=sorted(str(p.relative_to(APP_DIR)) for p in before), poll_seconds=RELOAD_POLL_SECONDS)
    while True:
        time.sleep(RELOAD_POLL_SECONDS)
        now = snapshot()
        if now != before:
            changed = sorted(str(p.relative_to(APP_DIR)) for p in set(now) | set(before) if now.get(p) != before.get(p))
            log("info", "source changed, reloading", changed=changed)
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
            log("error", "migration failed", revision=revision.name, **failure(error))
            return 1
        log("info", "migration applied", revision=revision.name)
    log("info", "at head", revisions=len(revisions))
    return 0


def refuse(problems):
    """One JSON line per setting that is missing or invalid (stdout, like every log line), then exit 2."""
    now = datetime.now(timezone.utc).isoformat()
    for problem in problems:
        record = {"timestamp": now, "level": "error", "service": SETTINGS.service or "unknown", "message": "invalid setting", **problem}
        print(json.dumps(record), flush=True)
    sys.exit(CONFIG_EXIT)


if __name__ == "__main__":
    if SETTINGS.problems:
        refuse(SETTINGS.problems)
    log("debug", "settings", debug=SETTINGS.debug, log_level=SETTINGS.level, log_format=SETTINGS.format)
    if sys.argv[1:] == ["migrate"]:
        sys.exit(migrate())
    serve(reload="--reload" in sys.argv[1:])
