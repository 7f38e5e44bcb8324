"""A real gunicorn for the benchmarks that measure through HTTP (the rush, pages beside /healthz/), and the
clients that press it: bursts (everyone at once) and throughput (keep-alive connections for a few seconds)."""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url():
    from django.db import connection

    c = connection.settings_dict
    return f"postgres://{quote(c['USER'])}:{quote(c['PASSWORD'])}@{c['HOST']}:{c['PORT']}/{c['NAME']}"


def login_sessions(users):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    keys = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


class Server:
    """gunicorn on a free port, as production runs it (persistent connections), with the floor view mounted."""

    def __init__(self, workers):
        self.port = _free_port()
        env = {**os.environ, "DATABASE_URL": _database_url(), "UNIONPORTAL_ENV": "test", "DEBUG": "false",
               "DB_CONN_MAX_AGE": "600", "UNIONPORTAL_BENCH_VIEWS": "true", "CELERY_TASK_ALWAYS_EAGER": "true",
               "ALLOWED_HOSTS": "127.0.0.1,localhost"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "unionportal.wsgi:application", "-b", f"127.0.0.1:{self.port}",
             "-w", str(workers), "--log-level", "warning", "--timeout", "60"],
            cwd=ROOT, env=env, start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                probe.request("GET", "/healthz/")
                if probe.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)

    def burst(self, method, path, sessions):
        """One request per session, all released together. Returns (sorted latencies in s, statuses, errors)."""
        count = len(sessions)
        barrier = threading.Barrier(count)
        latencies, statuses, errors = [None] * count, [None] * count, []

        def press(index):
            token = secrets.token_hex(16)
            body = urlencode({"csrfmiddlewaretoken": token}) if method == "POST" else None
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            headers = {"Cookie": f"sessionid={sessions[index]}; csrftoken={token}", "Host": "127.0.0.1"}
            if body:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            barrier.wait()
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                statuses[index] = response.status
            except Exception as error:  # noqa: BLE001
                errors.append(repr(error))
            latencies[index] = time.perf_counter() - started

        threads = [threading.Thread(target=press, args=(i,)) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sorted(x for x in latencies if x is not None), statuses, errors


    def throughput(self, path, session, *, seconds=4.0, connections=16):
        """Requests per second for GET ``path`` as ``session`` over ``connections`` keep-alive connections.
        Returns (requests per second, failed requests)."""
        done, failed = [0] * connections, [0] * connections
        barrier = threading.Barrier(connections)
        deadline = [0.0]

        def client(index):
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            headers = {"Cookie": f"sessionid={session}", "Host": "127.0.0.1"} if session else {"Host": "127.0.0.1"}
            barrier.wait()
            while time.perf_counter() < deadline[0]:
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    if response.status == 200:
                        done[index] += 1
                    else:
                        failed[index] += 1
                except Exception:  # noqa: BLE001 — counted, and the connection opened again
                    failed[index] += 1
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            conn.close()

        threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
        deadline[0] = time.perf_counter() + seconds + 0.05
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sum(done) / (time.perf_counter() - started), sum(failed)
