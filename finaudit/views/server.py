"""The dashboard's server for a crowd: Voila with a host allow-list, a cap on live sessions and a busy page.

``make run`` starts ``python -m finaudit.views.server notebooks/dashboard.ipynb``: Voila as configured in
``voila.json`` (preheated pool, culling of closed and stuck kernels, iopub and startup timeouts that let a
queued page render late rather than never, the websocket message limit above the upload limit), plus:

- only requests whose ``Host`` (and ``Origin``, when sent) name one of ``Server.allowed_hosts`` are served,
  page and websocket alike (default ``127.0.0.1`` and ``localhost``: a DNS-rebinding page cannot reach it);
- at most ``Server.max_sessions`` pages hold a kernel at once (preheated kernels waiting in the pool aside),
  and at most ``Server.max_starting`` pages are let in within ``starting_seconds``; a page asked for beyond
  either gets a plain "busy — retry in a moment" page (HTTP 503, ``Retry-After``, retried by the browser)
  instead of a kernel that would starve the others into blank pages.

The defaults are sized for the machine: a pool of 2 × CPUs (2–8), 4 × CPUs sessions (lowered so that
every kernel, ~250 MB, fits in the memory that is free at start) and one starting page per CPU every 20 s.
"""

from __future__ import annotations

import os
import time
from collections import deque
from urllib.parse import urlsplit

import tornado.web
from traitlets import Float, Integer, List, Unicode, default
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

KERNEL_MB = 250

BUSY_PAGE = """<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><meta http-equiv="refresh" content="{retry}">
<title>忙碌 · Busy</title>
<style>body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:15vh auto;max-width:32em;color:#1f4e79}}</style>
</head><body>
<h1>忙碌中，请稍候重试</h1>
<p>同时打开的仪表板已达上限（{limit} 个）。本页将在 {retry} 秒后自动重试。</p>
<h2>Busy — retry in a moment</h2>
<p>The dashboard is serving its limit of {limit} pages at once. This page retries by itself in {retry} seconds.</p>
</body></html>
"""


def machine_pool_size() -> int:
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


def machine_sessions() -> int:
    cores = 4 * (os.cpu_count() or 1)
    try:
        with open("/proc/meminfo") as handle:
            free_mb = next(int(line.split()[1]) for line in handle if line.startswith("MemAvailable")) // 1024
    except (OSError, StopIteration):
        return cores
    return max(1, min(cores, free_mb // KERNEL_MB - machine_pool_size()))


def host_name(host: str) -> str:
    """'127.0.0.1:8866' → '127.0.0.1'; '[::1]:80' → '::1'; lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Refused(tornado.web.RequestHandler):
    """403 for a request to a name this server is not configured to answer to."""

    def prepare(self):
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("403: this server answers only to its configured host names\n")


class Busy(tornado.web.RequestHandler):
    """503 with a page that retries by itself."""

    def initialize(self, limit: int, retry: int = 15):
        self.limit, self.retry = limit, retry

    def prepare(self):
        self.set_status(503)
        self.set_header("Retry-After", str(self.retry))
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(BUSY_PAGE.format(limit=self.limit, retry=self.retry))


class GuardedApplication(tornado.web.Application):
    """Tornado's application with the host and origin check and the session cap in front of every route."""

    def __init__(self, server: "Server", *args, **kwargs):
        self.server = server
        super().__init__(*args, **kwargs)

    def find_handler(self, request, **kwargs):
        allowed = {name.lower() for name in self.server.allowed_hosts}
        origin = request.headers.get("Origin")
        if host_name(request.host or "") not in allowed or (
                origin and (urlsplit(origin).hostname or origin).lower() not in allowed):
            return self.get_handler_delegate(request, Refused)
        delegate = super().find_handler(request, **kwargs)
        if getattr(delegate, "handler_class", None) is _Counted and request.method == "GET" and not self.server.admit():
            return self.get_handler_delegate(request, Busy, {"limit": self.server.max_sessions})
        return delegate


class _Counted(TornadoVoilaHandler):
    """Voila's page handler, counted while it renders (before its kernel shows in the kernel manager)."""

    rendering: dict[int, float] = {}

    def prepare(self):
        _Counted.rendering[id(self)] = time.monotonic()
        return super().prepare()

    def on_finish(self):
        _Counted.rendering.pop(id(self), None)
        super().on_finish()

    def on_connection_close(self):
        _Counted.rendering.pop(id(self), None)
        super().on_connection_close()


class Server(Voila):
    """Voila, guarded (see the module docstring)."""

    allowed_hosts = List(Unicode(), ["127.0.0.1", "localhost"], config=True,
                         help="Host names (and addresses) this server answers to; any other Host or Origin gets 403.")
    max_sessions = Integer(config=True, help="Pages holding a kernel at once; beyond, the busy page.")
    max_starting = Integer(config=True, help="Pages let in within `starting_seconds`; beyond, the busy page.")
    starting_seconds = Float(20.0, config=True,
                             help="How long a page counts as starting (fetching its widgets and drawing its charts).")

    @default("max_starting")
    def _max_starting(self):
        return max(1, os.cpu_count() or 1)

    def admit(self) -> bool:
        """Let a page in, or not: under both caps (sessions, and pages starting at once: a page's first paint
        costs the browser and the server seconds of CPU, and twenty at once on two cores draw none in time)."""
        now = time.monotonic()
        while self.admitted and self.admitted[0] < now - self.starting_seconds:
            self.admitted.popleft()
        if self.sessions() >= self.max_sessions or len(self.admitted) >= self.max_starting:
            return False
        self.admitted.append(now)
        return True

    @default("max_sessions")
    def _max_sessions(self):
        return machine_sessions()

    def initialize(self, argv=None):
        self.admitted: deque[float] = deque()  # when the pages still starting were let in
        super().initialize(argv)
        if "default_pool_size" not in self.config.VoilaConfiguration:
            self.voila_configuration.default_pool_size = machine_pool_size()

    def sessions(self) -> int:
        """Pages holding or about to hold a kernel: live kernels not waiting in the preheated pool, plus pages
        still rendering (counted twice once their kernel is live: the cap errs towards the busy page)."""
        manager = self.kernel_manager
        pooled = sum(len(pool) for pool in getattr(manager, "_pools", {}).values())
        return max(0, len(manager.list_kernel_ids()) - pooled) + len(_Counted.rendering)


    def init_handlers(self) -> list:
        return [(route[0], _Counted, *route[2:]) if route[1] is TornadoVoilaHandler else route
                for route in super().init_handlers()]

    def start(self):  # Voila.start with the guarded application
        import tempfile

        self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
        self.log.info("Storing connection files in %s.", self.connection_dir)
        self.app = GuardedApplication(self, **self.init_settings())
        self.app.settings.update(self.tornado_settings)
        self.app.add_handlers(".*$", self.init_handlers())
        self.log.info("Answering to %s; at most %d pages with a kernel at once.",
                      ", ".join(self.allowed_hosts), self.max_sessions)
        self.listen()


main = Server.launch_instance

if __name__ == "__main__":
    main()
