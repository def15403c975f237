"""The dashboards' server for a crowd: Voila with a host allow-list, a fair admission of pages that start a
kernel, a memory ceiling per kernel and a busy page that says what is full.

``make run`` starts ``python -m finaudit.views.server notebooks``: Voila serving the notebooks folder as
configured in ``voila.json`` (preheated pool, culling of closed and stuck kernels, iopub and startup timeouts
that let a queued page render late rather than never, the websocket message limit above the upload limit,
the finaudit template), plus:

- ``/`` is a landing page linking the dashboards (``Server.dashboards``: the single-report dashboard, the
  dossier board and the portfolio); only those render (``/voila/render/<name>``), any other notebook of the
  folder (the workbook writes files) gets 404;
- only requests whose ``Host`` (and ``Origin``, when sent) name one of ``Server.allowed_hosts`` are served,
  page and websocket alike (default ``127.0.0.1`` and ``localhost``: a DNS-rebinding page cannot reach it);
- admission counts only the requests that start a kernel (a dashboard page; not ``/x``, static files or the
  landing page): at most ``Server.max_sessions`` pages hold a kernel at once (preheated kernels waiting in
  the pool aside), at most ``Server.max_starting`` pages start within ``starting_seconds``, and while another
  client waits for a place, one client (its ``finaudit_client`` cookie, else its address) takes at most
  ``per_client`` of those starts, so a script asking once a second cannot keep a visitor out. A page asked
  for beyond a limit gets a "busy" page (HTTP 503, ``Retry-After``, retried by the browser) that names the
  limit, what is full and when it retries;
- culling spares a kernel that no page has connected to yet (``render_grace_seconds``): on a busy machine a
  page's kernel runs its first cells for a minute or more without a word;
- every kernel runs under an address-space ceiling (RLIMIT_AS: ``Server.kernel_memory_mb`` above what a
  dashboard kernel reserves at rest, ``finaudit.views.ceiling``), and a document read in a kernel may add
  ``kernel_memory_mb`` (``FINAUDIT_LIMIT_MEMORY_MB``, unless set): an equal share of the memory free at start
  for the pool and every session, at most 2 GB. A hostile upload ends in the reader's "out of memory"
  message, not in a server that swaps or dies.

The defaults are sized for the machine: a pool of 2 × CPUs (2–8) shared by the dashboards, 4 × CPUs sessions
(lowered so that every kernel, ~250 MB at rest, fits in the memory free at start) and one starting page per
CPU every 20 s.
"""

from __future__ import annotations

import html
import math
import os
import secrets
import sys
import time
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urlsplit

import tornado.web
from jupyter_client.kernelspec import KernelSpecManager
from traitlets import Float, Integer, List, Unicode, default
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from finaudit.words import LABELS, LANGS, Text, tr

KERNEL_MB = 250  # a dashboard kernel at rest (resident)
KERNEL_RESERVED_MB = 3072  # the address space a dashboard kernel reserves at rest (libraries, thread arenas)
CLIENT_COOKIE = "finaudit_client"

#: The dashboards the landing page links (their titles and what each shows: "landing.<stem>" in the label catalogue).
DASHBOARDS = ("dashboard.ipynb", "dossier.ipynb", "portfolio.ipynb")

PAGE = """<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8">{head}
<title>{title}</title>
<style>body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:10vh auto;max-width:40em;
padding:0 1em;color:#1f4e79;line-height:1.5}} a{{color:#1f4e79}} li{{margin:.8em 0}} small{{color:#555}}
h2{{margin-top:2em}}</style>
</head><body>
{body}
</body></html>
"""

def machine_pool_size() -> int:
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


def available_mb() -> int | None:
    try:
        with open("/proc/meminfo") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("MemAvailable")) // 1024
    except (OSError, StopIteration):
        return None


def machine_sessions() -> int:
    cores = 4 * (os.cpu_count() or 1)
    free_mb = available_mb()
    if free_mb is None:
        return cores
    return max(1, min(cores, free_mb // KERNEL_MB - machine_pool_size()))


def machine_kernel_memory_mb(sessions: int, pool: int) -> int:
    """Given the session cap and the pool, the memory one kernel may add above its rest (its reads included):
    an equal share of the memory free at start, between 512 MB and 2 GB (the read's own bound)."""
    free_mb = available_mb() or 4096
    return max(512, min(2048, free_mb // max(1, sessions + pool) - KERNEL_MB))


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


class _ClientCookie(tornado.web.RequestHandler):
    """Gives a browser its own client name (a random cookie), so that it is admitted on its own share and not
    on the share of every other client behind the same address."""

    def prepare(self):
        if not self.get_cookie(CLIENT_COOKIE):
            self.set_cookie(CLIENT_COOKIE, secrets.token_urlsafe(12), httponly=True, samesite="Strict")


class Landing(_ClientCookie):
    """The landing page: a link to each dashboard, in Chinese and English."""

    def initialize(self, dashboards: list[str], base_url: str = "/"):
        self.dashboards, self.base_url = dashboards, base_url

    def section(self, lang: str, heading: str) -> str:
        """The links in `lang`, under a heading of level `heading` (the Chinese first, as the page's title)."""
        items = []
        for name in self.dashboards:
            stem = Path(name).stem
            title = LABELS.get(f"landing.{stem}", Text(name, name)).get(lang)
            about = LABELS.get(f"landing.{stem}.about", Text("", "")).get(lang)
            href = html.escape(f"{self.base_url}voila/render/{name}")
            items.append(f'<li><a href="{href}">{html.escape(title)}</a><br><small>{html.escape(about)}</small></li>')
        return (f'<{heading} lang="{lang}">{html.escape(tr("landing.title", lang))}</{heading}>'
                f'<ul lang="{lang}" class="fau-landing">{"".join(items)}</ul>')

    def get(self):
        body = "".join(self.section(lang, heading) for lang, heading in zip(LANGS, ("h1", "h2")))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(PAGE.format(head="", title="finaudit", body=body))


class Busy(_ClientCookie):
    """503 with a page that names the limit that is full and retries by itself."""

    def initialize(self, reason: str, limit: int, current: int, seconds: float, retry: int):
        self.reason, self.retry = reason, max(2, retry)
        self.numbers = {"limit": limit, "current": current, "seconds": f"{seconds:g}"}

    def prepare(self):
        super().prepare()
        reason = LABELS[f"busy.{self.reason}"].format(**self.numbers)
        body = "".join(f'<{heading} lang="{lang}">{html.escape(tr("busy.title", lang))}</{heading}>'
                       f'<p lang="{lang}" class="fau-busy-reason" data-reason="{self.reason}">{html.escape(reason.get(lang))}</p>'
                       f'<p lang="{lang}">{html.escape(tr("busy.retry", lang).format(seconds=self.retry))}</p>'
                       for lang, heading in zip(LANGS, ("h1", "h2")))
        self.set_status(503)
        self.set_header("Retry-After", str(self.retry))
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(PAGE.format(head=f'<meta http-equiv="refresh" content="{self.retry}">', title="忙碌 · Busy",
                                body=body))


class GuardedApplication(tornado.web.Application):
    """Tornado's application with the host and origin check and the admission in front of every route."""

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
        if getattr(delegate, "handler_class", None) is not _Counted or request.method != "GET":
            return delegate
        if not self.server.starts_kernel(request.path):
            return self.get_handler_delegate(request, tornado.web.ErrorHandler, {"status_code": 404})
        refused = self.server.admit(self.server.client(request))
        if refused:
            return self.get_handler_delegate(request, Busy, refused)
        return delegate


class _Counted(TornadoVoilaHandler):
    """Voila's page handler, counted while it renders (before its kernel shows in the kernel manager)."""

    rendering: dict[int, float] = {}

    def prepare(self):
        _Counted.rendering[id(self)] = time.monotonic()
        if not self.get_cookie(CLIENT_COOKIE):
            self.set_cookie(CLIENT_COOKIE, secrets.token_urlsafe(12), httponly=True, samesite="Strict")
        return super().prepare()

    def on_finish(self):
        _Counted.rendering.pop(id(self), None)
        super().on_finish()

    def on_connection_close(self):
        _Counted.rendering.pop(id(self), None)
        super().on_connection_close()


class CeilingKernelSpecManager(KernelSpecManager):
    """The kernel specs, each launched through ``finaudit.views.ceiling`` under an address-space ceiling."""

    ceiling_mb = Integer(0, config=True, help="RLIMIT_AS of every kernel, MB (0: none).")

    def get_kernel_spec(self, kernel_name):
        spec = super().get_kernel_spec(kernel_name)
        if self.ceiling_mb and spec.argv and "finaudit.views.ceiling" not in spec.argv:
            argv = list(spec.argv)
            if argv[0] in {"python", f"python{sys.version_info[0]}", "python%i.%i" % sys.version_info[:2]}:
                argv[0] = sys.executable  # as jupyter_client does for a spec's own first word
            spec.argv = [sys.executable, "-m", "finaudit.views.ceiling", str(self.ceiling_mb), "--", *argv]
        return spec


class Server(Voila):
    """Voila, guarded (see the module docstring)."""

    allowed_hosts = List(Unicode(), ["127.0.0.1", "localhost"], config=True,
                         help="Host names (and addresses) this server answers to; any other Host or Origin gets 403.")
    dashboards = List(Unicode(), list(DASHBOARDS), config=True,
                      help="The notebooks of the served folder that render (and that the landing page links).")
    max_sessions = Integer(config=True, help="Pages holding a kernel at once; beyond, the busy page.")
    max_starting = Integer(config=True, help="Pages let in within `starting_seconds`; beyond, the busy page.")
    per_client = Integer(config=True, help="Of those, the pages one client may start within `starting_seconds` "
                                           "while another client waits for a place.")
    starting_seconds = Float(20.0, config=True,
                             help="How long a page counts as starting (fetching its widgets and drawing its charts).")
    render_grace_seconds = Float(300.0, config=True,
                                 help="How long culling spares a kernel that no page has connected to yet.")
    kernel_memory_mb = Integer(config=True, help="Memory a kernel may add above its rest (RLIMIT_AS; 0: no ceiling).")

    @default("max_starting")
    def _max_starting(self):
        return max(1, os.cpu_count() or 1)

    @default("per_client")
    def _per_client(self):
        return max(1, self.max_starting // 2)

    @default("max_sessions")
    def _max_sessions(self):
        return machine_sessions()

    @default("kernel_memory_mb")
    def _kernel_memory_mb(self):
        return machine_kernel_memory_mb(self.max_sessions, machine_pool_size())

    def client(self, request) -> str:
        """Who asks: the browser's client cookie, else its address."""
        return request.cookies[CLIENT_COOKIE].value if CLIENT_COOKIE in request.cookies else request.remote_ip

    def starts_kernel(self, path: str) -> bool:
        """Whether a GET of `path` renders a dashboard (and so starts a kernel): in a served folder, one of
        `dashboards` that exists; for a single notebook, the root alone."""
        base = self.base_url.rstrip("/")
        path = unquote(path)
        if self.notebook_path:
            return path in (base, base + "/")
        prefix = f"{base}/voila/render/"
        name = path[len(prefix):] if path.startswith(prefix) else None
        return name in self.dashboards and (Path(self.root_dir) / name).is_file()

    def admit(self, client: str) -> dict | None:
        """Let a page in (None), or say which limit refuses it (the busy page's arguments): the session cap,
        the pages starting at once (a page's first paint costs the browser and the server seconds of CPU, and
        twenty at once on two cores draw none in time), and this client's share of those."""
        now, window = time.monotonic(), self.starting_seconds
        while self.admitted and self.admitted[0][0] < now - window:
            self.admitted.popleft()
        self.refused = {who: at for who, at in self.refused.items() if at >= now - window}
        mine = [at for at, who in self.admitted if who == client]
        others_waiting = any(who != client for who in self.refused)
        sessions, numbers = self.sessions(), {"seconds": window}
        if sessions >= self.max_sessions:
            refusal = {"reason": "sessions", "limit": self.max_sessions, "current": sessions, "retry": 15}
        elif len(mine) >= self.per_client and others_waiting:  # its share, while someone else waits for a place
            refusal = {"reason": "client", "limit": self.per_client, "current": len(mine),
                       "retry": math.ceil(mine[0] + window - now)}
        elif len(self.admitted) >= self.max_starting:
            refusal = {"reason": "starting", "limit": self.max_starting, "current": len(self.admitted),
                       "retry": math.ceil(self.admitted[0][0] + window - now)}
        else:
            self.admitted.append((now, client))
            self.refused.pop(client, None)
            return None
        self.refused[client] = now
        return refusal | numbers

    def initialize(self, argv=None):
        self.admitted: deque[tuple[float, str]] = deque()  # when the pages still starting were let in, and by whom
        self.refused: dict[str, float] = {}  # who was last sent the busy page within the window, and when
        super().initialize(argv)
        if "default_pool_size" not in self.config.VoilaConfiguration:
            self.voila_configuration.default_pool_size = machine_pool_size()
        if not self.notebook_path and "kernel_pools_config" not in self.config.VoilaKernelManager:
            self.config.VoilaKernelManager.kernel_pools_config = self.pools()
        if self.kernel_memory_mb:
            self.config.CeilingKernelSpecManager.ceiling_mb = KERNEL_RESERVED_MB + self.kernel_memory_mb
            self.voila_configuration.kernel_spec_manager_class = CeilingKernelSpecManager
            # what a read in a kernel may add (finaudit.read.limits, inherited through the kernels' environment)
            os.environ.setdefault("FINAUDIT_LIMIT_MEMORY_MB", str(self.kernel_memory_mb))

    def pools(self) -> dict:
        """Preheated kernels for a served folder: the machine's pool shared by the dashboards, the first (the
        single-report dashboard, the one most opened) taking what the others leave; no other notebook."""
        pool, rest = machine_pool_size(), self.dashboards[1:]
        sizes = {name: 1 for name in rest} | {self.dashboards[0]: max(1, pool - len(rest))} if self.dashboards else {}
        return {"default": {"pool_size": 0}} | {name: {"pool_size": size} for name, size in sizes.items()}

    def sessions(self) -> int:
        """Pages holding or about to hold a kernel: live kernels not waiting in the preheated pool, plus pages
        still rendering (counted twice once their kernel is live: the cap errs towards the busy page)."""
        manager = self.kernel_manager
        pooled = sum(len(pool) for pool in getattr(manager, "_pools", {}).values())
        return max(0, len(manager.list_kernel_ids()) - pooled) + len(_Counted.rendering)

    def spare_rendering_kernels(self, manager) -> None:
        """Culling (voila.json: a kernel without a connection for 40 s goes, busy or not: a closed page's, a
        stuck one's) spares a kernel that no page has connected to yet for `render_grace_seconds`: a preheated
        kernel taken by a page while still running its first cells, or a page's own kernel, runs a minute or
        more without a word on a busy machine, and used to be culled under the page it was rendering."""
        cull, first_seen, connected = manager.cull_kernel_if_idle, {}, set()

        async def cull_unless_rendering(kernel_id: str):
            now = time.monotonic()
            first_seen.setdefault(kernel_id, now)
            if manager._kernel_connections.get(kernel_id, 0):
                connected.add(kernel_id)
            if kernel_id in connected or now - first_seen[kernel_id] > self.render_grace_seconds:
                await cull(kernel_id)
            for gone in set(first_seen) - set(manager.list_kernel_ids()):
                first_seen.pop(gone, None)
                connected.discard(gone)

        manager.cull_kernel_if_idle = cull_unless_rendering

    def init_handlers(self) -> list:
        base = self.server_url.rstrip("/")
        landing = [] if self.notebook_path else [
            (base + "/", Landing, {"dashboards": self.dashboards, "base_url": base + "/"}),
            (base + "/voila/tree.*", tornado.web.RedirectHandler, {"url": base + "/"})]
        return landing + [(route[0], _Counted, *route[2:]) if route[1] is TornadoVoilaHandler else route
                          for route in super().init_handlers()]

    def start(self):  # Voila.start with the guarded application
        import tempfile

        self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
        self.log.info("Storing connection files in %s.", self.connection_dir)
        self.app = GuardedApplication(self, **self.init_settings())
        self.spare_rendering_kernels(self.kernel_manager)
        self.app.settings.update(self.tornado_settings)
        self.app.add_handlers(".*$", self.init_handlers())
        self.log.info("Answering to %s; at most %d pages with a kernel at once, %d starting per %g s (%d per "
                      "client); kernels under %s.", ", ".join(self.allowed_hosts), self.max_sessions,
                      self.max_starting, self.starting_seconds, self.per_client,
                      f"{KERNEL_RESERVED_MB + self.kernel_memory_mb} MB of address space"
                      if self.kernel_memory_mb else "no memory ceiling")
        self.listen()


main = Server.launch_instance

if __name__ == "__main__":
    main()
