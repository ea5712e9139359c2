"""The lab's Grafana stand-in: what the dev stack relies on, not Grafana.

It starts only when what Grafana would need is there: the admin password file
(GF_SECURITY_ADMIN_PASSWORD__FILE) readable, the provisioning files under GF_PATHS_PROVISIONING
readable, the data directory writable (it writes grafana.db there, as Grafana does). Then it
answers /api/health as Grafana does, /metrics in Prometheus's text format (Grafana's own metrics,
which the stack scrapes) and serves under the sub path (GF_SERVER_SERVE_FROM_SUB_PATH).
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def log(message, **fields):
    print(json.dumps({"logger": "lab-grafana", "msg": message, **fields}), flush=True)


def check():
    with open(os.environ["GF_SECURITY_ADMIN_PASSWORD__FILE"], encoding="utf-8") as f:
        if not f.read().strip():
            raise ValueError("empty admin password file")
    provisioned = []
    for root, _, files in os.walk(os.environ["GF_PATHS_PROVISIONING"]):
        for name in files:
            with open(os.path.join(root, name), encoding="utf-8") as f:
                f.read()
            provisioned.append(os.path.join(root, name))
    with open(os.path.join(os.environ["GF_PATHS_DATA"], "grafana.db"), "a", encoding="utf-8") as f:
        f.write("")
    return provisioned


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?")[0]
        if path in ("/api/health", "/grafana/api/health"):
            body = json.dumps({"database": "ok", "version": "lab"}).encode()
            kind = "application/json"
        elif path == "/metrics":
            body = b"# HELP grafana_build_info Lab stand-in.\n# TYPE grafana_build_info gauge\ngrafana_build_info{version=\"lab\"} 1\n"
            kind = "text/plain; version=0.0.4"
        elif path.startswith("/grafana/") or path == "/":
            body = b"<!doctype html><title>Grafana (lab stand-in)</title>"
            kind = "text/html"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        log("request", line=format % args)


if __name__ == "__main__":
    try:
        files = check()
    except (KeyError, OSError, ValueError) as err:
        log("startup failed", error=str(err))
        sys.exit(1)
    log("provisioned", files=files)
    ThreadingHTTPServer(("0.0.0.0", 3000), Handler).serve_forever()
