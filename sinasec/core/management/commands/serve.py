"""sinasec serve: the production web server (gunicorn), optionally with the task worker."""

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
Serve SINASEC with gunicorn: pre-forked synchronous worker processes running the WSGI
application (sinasec/wsgi.py), static files from STATIC_ROOT through whitenoise, the
access log on stdout and errors on stderr. It reads the same SINASEC_* variables as every
other command (database, secret key, HTTPS, logs).

Run `sinasec migrate` and `sinasec collectstatic --no-input` first (`make serve` does).
With SINASEC_DEBUG off (the default) it refuses to start with the built-in or a short
secret key. Put a reverse proxy with TLS in front (see the README, "Deploying") and set
SINASEC_HTTPS=1.

The server stops gracefully on SIGTERM or Ctrl+C (requests in flight finish within the
graceful timeout). SIGHUP replaces the workers without dropping connections; a new
release needs a restart, since the code is loaded once, before forking."""

EPILOG = """\
examples:
  sinasec serve                                  127.0.0.1:8000, 2 x cores + 1 workers
  sinasec serve --bind 0.0.0.0:8000 --workers 9  every interface (behind the proxy)
  sinasec serve --with-worker                    and the background task worker
  sinasec serve --demo --with-worker             what `make run` does on a laptop

environment (flags win over them):
  SINASEC_BIND          address to listen on (default 127.0.0.1:8000)
  SINASEC_WEB_WORKERS   worker processes (default 2 x cores + 1)
  SINASEC_WEB_TIMEOUT   seconds before a silent worker is restarted (default 60)"""

# How long a request may take to finish once the server is told to stop.
GRACEFUL_TIMEOUT = 30
# Seconds to keep an idle connection from the proxy open.
KEEPALIVE = 5
# A worker is replaced after this many requests (give or take the jitter): memory that a
# library leaks is returned, and the workers do not all restart at once.
MAX_REQUESTS, MAX_REQUESTS_JITTER = 1000, 100
ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s'
# The task worker, when it dies, is started again at most this often.
WORKER_RESTART_SECONDS = 5.0


class Command(BaseCommand):
    help = DESCRIPTION
    # The checks run in every gunicorn worker as it loads the application.
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
            "--timeout",
            type=int,
            default=settings.WEB_TIMEOUT,
            metavar="SECONDS",
            help="a worker silent this long is killed and replaced "
            f"(default $SINASEC_WEB_TIMEOUT or {settings.WEB_TIMEOUT})",
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
            help="no gunicorn access log (the application still logs each request on "
            "the 'sinasec.request' logger; with SINASEC_LOG_FORMAT=json it is the only one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1:
            raise CommandError(_("--workers must be at least 1."))
        if options["demo"]:
            require_loopback(options["bind"])
            use_demo_secret_key(Path(settings.VAR_DIR) / "secret_key")
        try:
            refuse_unsafe_settings()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        command = gunicorn_command(options)
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


def gunicorn_command(options: dict[str, Any]) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "sinasec.wsgi:application",
        "--bind",
        options["bind"],
        "--workers",
        str(options["workers"]),
        "--worker-class",
        "sync",
        "--timeout",
        str(options["timeout"]),
        "--graceful-timeout",
        str(GRACEFUL_TIMEOUT),
        "--keep-alive",
        str(KEEPALIVE),
        "--max-requests",
        str(MAX_REQUESTS),
        "--max-requests-jitter",
        str(MAX_REQUESTS_JITTER),
        # Load the application once, before forking: a refused setting stops the server
        # with one message, and the workers share the loaded code's memory.
        "--preload",
        "--error-logfile",
        "-",
        "--name",
        "sinasec",
    ]
    # In JSON, the application's own line per request ("sinasec.request") is the access log:
    # gunicorn's would be a second, plain-text line for the same request.
    if not options["no_access_log"] and settings.LOG_FORMAT == "text":
        command += ["--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT]
    if _has_control_socket():
        # Its default path is per user, shared by every server that user runs.
        command.append("--no-control-socket")
    return command


def _has_control_socket() -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS)


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
        # gunicorn replaces its workers itself; the task worker is started again.
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
