"""Container health check for the web service: GET /healthz/ must answer 200 "ok".

Production settings reject unknown Host headers and redirect plain HTTP to HTTPS, so the request
names the first ALLOWED_HOSTS entry and says it came through the TLS proxy (SECURE_PROXY_SSL_HEADER).
Standard library only; exits 0 when healthy, 1 otherwise.
"""

import os
import sys
import urllib.request


def host_header():
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0] if hosts else "localhost"
    if host == "*":
        return "localhost"
    if host.startswith("."):  # ".example.org" allows any subdomain
        return "healthcheck" + host
    return host


def main():
    request = urllib.request.Request(
        "http://127.0.0.1:8000/healthz/",
        headers={"Host": host_header(), "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            body = response.read(100).decode("utf-8", "replace").strip()
            ok = response.status == 200 and body == "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    if not ok:
        print(f"unhealthy: status {response.status}, body {body!r}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
