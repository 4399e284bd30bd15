"""`tandem serve`: the terminal app in a browser, on this computer only.

    serve(Path("family.tandem"))          # http://127.0.0.1:8000/
    serve(None, port=8123)                # the welcome screen

textual-serve runs one app process per browser tab and streams its screen
over a WebSocket. Each process is `<python> -m journal.serve --session
[PATH]`, which opens the app on the unlock screen of PATH (or on the welcome
screen): the passphrase is typed in the browser, never taken from the
command line, and TANDEM_PASSPHRASE and TANDEM_NEW_PASSPHRASE are removed
from the environment the app processes inherit.

The server listens on a loopback address only (127.0.0.1, localhost or ::1)
and answers only requests addressed to that host and port, from a page of
the same origin: a web page elsewhere cannot drive the app through the
browser (DNS rebinding, cross-site WebSocket). Another user of the same
computer can reach the port, so every request must also carry a random key
made at each launch: the address printed in the terminal holds it
(`?token=...`, as Jupyter does); the page that opens with it gets it as a
cookie (HttpOnly, SameSite=Strict) that its scripts, style sheets and
WebSocket send back. One browser session at a time, unless asked for more. The page it serves loads
nothing from the internet (textual-serve's own page asks Google for a font;
that link is removed).

textual-serve is imported only when serving, so the rest of Tandem works
without it.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
import shlex
import sys
from pathlib import Path
from typing import Any

from journal.errors import TandemError, UsageError

__all__ = [
    "LOOPBACK_HOSTS",
    "SECRET_ENV",
    "TOKEN_COOKIE",
    "check_host",
    "scrub_environment",
    "serve",
    "session_command",
]

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
"""The only addresses `tandem serve` listens on."""

SECRET_ENV = ("TANDEM_PASSPHRASE", "TANDEM_NEW_PASSPHRASE")
"""Environment variables that never reach an app process started for a browser."""

TOKEN_COOKIE = "tandem_serve_token"
"""The cookie that carries the launch's key after the first page load."""

_FONT_LINK = re.compile(r"<link\b[^>]*fonts\.googleapis\.com[^>]*>", re.IGNORECASE | re.DOTALL)


def check_host(host: str) -> str:
    """`host` if it is a loopback address `tandem serve` may listen on, else a UsageError."""
    if host not in LOOPBACK_HOSTS:
        raise UsageError(
            f"the app is served on this computer only (127.0.0.1, localhost or ::1), "
            f"not on {host!r}"
        )
    return host


def session_command(path: Path | None, python: str | None = None) -> str:
    """The shell command textual-serve runs for each browser session, safely quoted."""
    argv = [python or sys.executable, "-m", "journal.serve", "--session"]
    if path is not None:
        argv.append(str(path))
    return shlex.join(argv)


def scrub_environment(environ: Any = None) -> None:
    """Remove the passphrase variables (SECRET_ENV) from `environ` (default: os.environ)."""
    target = os.environ if environ is None else environ
    for name in SECRET_ENV:
        target.pop(name, None)


def _origins(host: str, port: int) -> tuple[set[str], set[str]]:
    """The Host headers and Origins a request to this server may carry."""
    names = {"127.0.0.1", "localhost", "[::1]"}
    hosts = {f"{name}:{port}" for name in names}
    if port == 80:
        hosts |= names
    return hosts, {f"http://{h}" for h in hosts}


def _index_template(textual_serve_dir: Path) -> str:
    """textual-serve's page without its link to a font on the internet.

    Its scripts and WebSocket are addressed to the host the page was asked
    from (already checked against `_origins`), so that the key's cookie,
    which a browser keeps per host, goes with them.
    """
    page = (textual_serve_dir / "templates" / "app_index.html").read_text(encoding="utf-8")
    page = page.replace("{{ config.static.url }}", "/static/")
    page = page.replace("{{ app_websocket_url }}", "ws://{{ request.host }}/ws")
    return _FONT_LINK.sub("", page)


def _offered_token(query: Any, cookies: Any) -> str:
    """The key a request carries: in the address (first visit) or in the cookie."""
    return str(query.get("token") or cookies.get(TOKEN_COOKIE) or "")


def token_matches(offered: str, token: str) -> bool:
    """Whether `offered` is the launch's key (compared in constant time)."""
    return hmac.compare_digest(offered.encode("utf-8"), token.encode("utf-8"))


def serve(
    path: Path | None,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    sessions: int = 1,
    token: str | None = None,
) -> None:
    """Serve the app to a browser on this computer until interrupted (ctrl+c).

    `path` is the journal each browser session opens on its unlock screen
    (None: the welcome screen); `sessions` how many browser tabs may run the
    app at once; `token` the key every request must carry (default: a new
    random one, printed in the address). Refuses any host but a loopback
    address, a port outside 1-65535, a session count below 1 and a path that
    is not a file, each with a one-line error.
    """
    check_host(host)
    if not 0 < port < 65536:
        raise UsageError(f"the port must be from 1 to 65535, not {port}")
    if sessions < 1:
        raise UsageError(f"at least one browser session, not {sessions}")
    token = token or secrets.token_urlsafe(24)
    if path is not None:
        path = Path(path).expanduser().absolute()
        if not path.is_file():
            raise TandemError(f"no journal at {path}")
    try:
        import aiohttp_jinja2
        import jinja2
        import textual_serve
        from aiohttp import web
        from textual_serve.server import Server
    except ModuleNotFoundError as error:
        raise TandemError(
            f"serving the app in a browser needs textual-serve ({error.name} is missing): "
            "pip install textual-serve"
        ) from None
    scrub_environment()
    hosts, origins = _origins(host, port)
    page = _index_template(Path(textual_serve.__file__).parent)

    open_sessions = 0

    @web.middleware
    async def local_only(request: web.Request, handler: Any) -> web.StreamResponse:
        nonlocal open_sessions
        if request.host not in hosts:
            raise web.HTTPForbidden(text="tandem serve answers only 127.0.0.1 and localhost\n")
        origin = request.headers.get("Origin")
        if origin is not None and origin not in origins:
            raise web.HTTPForbidden(text="tandem serve answers only its own pages\n")
        if not token_matches(_offered_token(request.query, request.cookies), token):
            raise web.HTTPForbidden(
                text="tandem serve needs the address it printed, with its key (?token=...)\n"
            )
        is_session = request.path == "/ws"
        if is_session:
            if open_sessions >= sessions:
                raise web.HTTPConflict(
                    text="the app is already open in another browser tab; close it first "
                    "(or start tandem serve with --sessions 2)\n"
                )
            open_sessions += 1
        try:
            response: web.StreamResponse = await handler(request)
        finally:
            if is_session:
                open_sessions -= 1
        if not response.prepared:
            if "token" in request.query:
                response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict", path="/")
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault("Referrer-Policy", "no-referrer")
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    class LocalServer(Server):
        """textual-serve's server, local only, with a page that loads nothing from outside."""

        async def _make_app(self) -> web.Application:
            app: web.Application = await super()._make_app()
            app.middlewares.append(local_only)
            aiohttp_jinja2.setup(
                app,
                loader=jinja2.DictLoader({"app_index.html": page}),
                autoescape=True,
                context_processors=[aiohttp_jinja2.request_processor],
            )
            return app

        async def on_startup(self, app: web.Application) -> None:
            print(
                f"Tandem is served at {address}\n"
                "Open that address in your browser: it holds this launch's key, so keep it "
                "to yourself. Press ctrl+c to stop.",
                flush=True,
            )

    shown_host = f"[{host}]" if ":" in host else host
    address = f"http://{shown_host}:{port}/?token={token}"
    server = LocalServer(
        session_command(path),
        host=host,
        port=port,
        title="Tandem",
        public_url=f"http://{shown_host}:{port}",
    )
    server.serve()


def _session(argv: list[str]) -> int:
    """One browser session's app: the unlock screen of a journal, or the welcome screen."""
    scrub_environment()
    if len(argv) > 1:
        print("usage: python -m journal.serve --session [PATH]", file=sys.stderr)
        return 2
    from screens.app import TandemApp

    path = Path(argv[0]) if argv else None
    TandemApp(path=path).run()
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m journal.serve --session [PATH]` (what textual-serve runs per session)."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] != "--session":
        print(
            "python -m journal.serve --session [PATH] runs one browser session of "
            "`tandem serve`; use `tandem serve [PATH]`",
            file=sys.stderr,
        )
        return 2
    return _session(args[1:])


if __name__ == "__main__":
    sys.exit(main())
