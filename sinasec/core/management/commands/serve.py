"""sinasec serve: the production web server (granian), optionally with the task worker."""

from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sinasec.core.deploy import refuse_unsafe_settings

DESCRIPTION = """\
Serve SINASEC with granian: worker processes (one per core by default), each running the
WSGI application (sinasec/wsgi.py) on a pool of threads behind granian's HTTP layer
(written in Rust: keep-alive connections, HTTP parsing and the access log off the Python
interpreter), static files from STATIC_ROOT through whitenoise, the access log on stdout
and errors on stderr. It reads the same SINASEC_* variables as every other command
(database, secret key, HTTPS, logs).

Run `sinasec migrate` and `sinasec collectstatic --no-input` first (`make serve` does).
With SINASEC_DEBUG off (the default) it refuses to start with the built-in or a short
secret key. Put a reverse proxy with TLS in front (see the README, "Deploying") and set
SINASEC_HTTPS=1.

The server stops gracefully on SIGTERM or Ctrl+C (requests in flight finish within the
graceful timeout). SIGHUP replaces the workers one by one without dropping connections,
and each new worker loads the code again: a release is a SIGHUP, not a restart."""

EPILOG = """\
examples:
  sinasec serve                                  127.0.0.1:8000, one worker per core
  sinasec serve --bind 0.0.0.0:8000 --workers 4  every interface (behind the proxy)
  sinasec serve --with-worker                    and the background task worker
  sinasec serve --demo --with-worker             what `make run` does on a laptop

environment (flags win over them):
  SINASEC_BIND          address to listen on (default 127.0.0.1:8000)
  SINASEC_WEB_WORKERS   worker processes (default: the cores this process may use)
  SINASEC_WEB_THREADS   threads per worker running requests (default 12)"""

# How long requests in flight may take to finish once the server is told to stop.
GRACEFUL_TIMEOUT = 30
ACCESS_LOG_FORMAT = '%(addr)s "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).1fms'
# The task worker, when it dies, is started again at most this often.
WORKER_RESTART_SECONDS = 5.0


class Command(BaseCommand):
    help = DESCRIPTION
    # The checks run in every worker as it loads the application (sinasec/wsgi.py).
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.epilog = EPILOG
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=settings.WEB_BIND,
            metavar="HOST:PORT",
            help=f"address to listen on (default $SINASEC_BIND or {settings.WEB_BIND})",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.WEB_WORKERS,
            metavar="N",
            help=f"worker processes (default $SINASEC_WEB_WORKERS or {settings.WEB_WORKERS})",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.WEB_THREADS,
            metavar="N",
            help="threads per worker running requests: while one waits on the database "
            "another computes, and a cheap page never waits behind a slow one for a thread "
            f" (default $SINASEC_WEB_THREADS or {settings.WEB_THREADS})",
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="also run the background task worker (`sinasec worker`) as a child process, "
            "restarted if it dies and stopped with the server",
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="for a laptop (`make run`): loopback addresses only, and without "
            "$SINASEC_SECRET_KEY a random key generated once into $SINASEC_VAR_DIR/secret_key",
        )
        parser.add_argument(
            "--no-access-log",
            action="store_true",
            help="no server access log (the application still logs each request on "
            "the 'sinasec.request' logger; with SINASEC_LOG_FORMAT=json it is the only one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1:
            raise CommandError(_("--workers must be at least 1."))
        if options["threads"] < 1:
            raise CommandError(_("--threads must be at least 1."))
        if options["demo"]:
            require_loopback(options["bind"])
            use_demo_secret_key(Path(settings.VAR_DIR) / "secret_key")
        try:
            refuse_unsafe_settings()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        command = server_command(options)
        sys.stdout.flush()
        if not options["with_worker"]:
            os.execv(command[0], command)
        if "worker" not in get_commands():
            self.stderr.write(
                _(
                    "Warning: this version has no `sinasec worker` command; only the web "
                    "server starts, and background tasks will not run."
                )
            )
            os.execv(command[0], command)
        sys.exit(supervise(command, [sys.executable, "-m", "sinasec.cli", "worker"]))


def server_command(options: dict[str, Any]) -> list[str]:
    host, port = split_bind(options["bind"])
    command = [
        sys.executable,
        "-m",
        "granian",
        "sinasec.wsgi:application",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(options["workers"]),
        "--blocking-threads",
        str(options["threads"]),
        "--workers-kill-timeout",
        str(GRACEFUL_TIMEOUT),
        # A worker that dies (a crash in a C extension) is started again.
        "--respawn-failed-workers",
        "--log-level",
        "warning",
    ]
    # In JSON, the application's own line per request ("sinasec.request") is the access log:
    # the server's would be a second, plain-text line for the same request.
    if not options["no_access_log"] and settings.LOG_FORMAT == "text":
        command += ["--access-log", "--access-log-fmt", ACCESS_LOG_FORMAT]
    else:
        command.append("--no-access-log")
    return command


def split_bind(bind: str) -> tuple[str, int]:
    """``HOST:PORT`` (an IPv6 host in brackets) into its host and port."""
    host, sep, port = bind.rpartition(":")
    if not sep or not port.isdigit():
        raise CommandError(_("--bind must be HOST:PORT, not %s.") % bind)
    return host.strip("[]") or "127.0.0.1", int(port)


def require_loopback(bind: str) -> None:
    host = bind.rsplit(":", 1)[0].strip("[]") if ":" in bind else bind
    if host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise CommandError(
            _("--demo listens only on this machine (127.0.0.1 or localhost), not on %s.") % bind
        )


def use_demo_secret_key(path: Path) -> None:
    """Without SINASEC_SECRET_KEY, a random key made once and kept (mode 600) in ``path``,
    so that sessions survive a restart of the demo."""
    if settings.SECRET_KEY != settings.DEFAULT_SECRET_KEY:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
    else:
        key = secrets.token_urlsafe(48)  # 64 characters
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key + "\n")
    settings.SECRET_KEY = key
    os.environ["SINASEC_SECRET_KEY"] = key  # the server and the worker run as children


def supervise(server_command: list[str], worker_command: list[str]) -> int:
    """Run the web server and the task worker side by side until the server stops or a
    signal arrives; the worker is restarted if it dies, and stopped at the end."""
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    def reload(signum: int, frame: FrameType | None) -> None:
        # granian replaces its workers itself; the task worker is started again.
        server.send_signal(signal.SIGHUP)
        worker.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server = subprocess.Popen(server_command)
    worker = subprocess.Popen(worker_command)
    signal.signal(signal.SIGHUP, reload)
    started = time.monotonic()
    while not stopping and server.poll() is None:
        if worker.poll() is not None and time.monotonic() - started >= WORKER_RESTART_SECONDS:
            message = _("Warning: the task worker stopped (exit code %s); starting it again.")
            print(message % worker.returncode, file=sys.stderr, flush=True)
            worker = subprocess.Popen(worker_command)
            started = time.monotonic()
        time.sleep(0.2)
    for child in (server, worker):
        if child.poll() is None:
            child.terminate()
    for child in (worker, server):
        try:
            child.wait(timeout=GRACEFUL_TIMEOUT + 5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return server.returncode or 0
