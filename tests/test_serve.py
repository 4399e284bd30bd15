"""`tandem serve`: the app in a browser, on this computer only, passphrase still asked.

The first tests need neither textual-serve nor a browser: the host, port and
path checks, the command each browser session runs, and the passphrase
variables kept from it. The last ones start the server on a free port in a
subprocess (with TANDEM_PASSPHRASE set, to show it is not used), load the
page in headless Chromium, and watch through Chromium's DevTools protocol
what the app sends to the page until the unlock screen appears; a
screenshot of it is kept in tests/artifacts/. The server is always killed.
They are skipped, with the reason, when textual-serve or Chromium is missing.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import importlib.util
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from journal.demo import DEMO_PASSPHRASE, write_demo_journal
from journal.errors import TandemError, UsageError
from journal.serve import SECRET_ENV, check_host, scrub_environment, serve, session_command
from tests.browser import artifact, chromium_command, needs_chromium

ROOT = Path(__file__).resolve().parent.parent
HAVE_SERVE = importlib.util.find_spec("textual_serve") is not None
needs_server = pytest.mark.skipif(
    not HAVE_SERVE, reason="textual-serve is not installed (pyproject: textual-serve)"
)


# --- without a server --------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.org", "", "127.0.0.2"])
def test_only_loopback_hosts_are_accepted(host: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="this computer only"):
        serve(None, host=host)
    with pytest.raises(UsageError):
        check_host(host)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_loopback_hosts_are_accepted(host: str) -> None:
    assert check_host(host) == host


def test_bad_port_and_missing_journal_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="port"):
        serve(None, port=0)
    with pytest.raises(UsageError, match="port"):
        serve(None, port=70000)
    with pytest.raises(TandemError, match="no journal"):
        serve(tmp_path / "missing.tandem")


def test_each_session_runs_the_app_with_the_path_quoted(tmp_path: Path) -> None:
    odd = tmp_path / "Sam's journal; rm -rf ~ $(x).tandem"
    command = session_command(odd, python="/usr/bin/python3")
    assert shlex.split(command) == [
        "/usr/bin/python3",
        "-m",
        "journal.serve",
        "--session",
        str(odd),
    ]
    assert shlex.split(session_command(None, python="py")) == [
        "py",
        "-m",
        "journal.serve",
        "--session",
    ]


def test_the_passphrase_never_reaches_a_session() -> None:
    environ = {"TANDEM_PASSPHRASE": "x", "TANDEM_NEW_PASSPHRASE": "y", "HOME": "/h"}
    scrub_environment(environ)
    assert environ == {"HOME": "/h"}
    assert set(SECRET_ENV) == {"TANDEM_PASSPHRASE", "TANDEM_NEW_PASSPHRASE"}


def test_the_session_module_wants_its_flag() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "journal.serve"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and "tandem serve" in done.stderr


# --- a real server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


TOKEN = "test-key-0123456789"


@contextlib.contextmanager
def running_server(path: Path | None, log: Path) -> Iterator[str]:
    """`serve(path)` in a subprocess of its own session; yields its URL with its key
    (`?token=`); always killed."""
    port = free_port()
    env = dict(os.environ)
    env["TANDEM_PASSPHRASE"] = DEMO_PASSPHRASE  # the right one: the app must still ask
    code = (
        "import sys; from pathlib import Path; from journal.serve import serve; "
        "serve(Path(sys.argv[1]) if sys.argv[1] else None, port=int(sys.argv[2]), "
        "token=sys.argv[3])"
    )
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-c", code, str(path or ""), str(port), TOKEN],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, log.read_text(errors="replace")[-2000:]
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start in 30 s"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/?token={TOKEN}"
    finally:
        stop_group(process)  # the server and its app sessions


def stop_group(process: subprocess.Popen[Any]) -> None:
    """Stop a process started in a session of its own, and all it started: TERM, then KILL."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def fetch_with_headers(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, Any]:
    """Status, body and response headers of a GET."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8"), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace"), error.headers


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    status, body, _headers = fetch_with_headers(url, headers)
    return status, body


def screen_text(raw: bytes) -> str:
    """What the app drew, without the terminal's escape sequences."""
    text = re.sub(rb"\x1b\[[0-9;:?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]", b"", raw)
    return text.decode("utf-8", "replace")


async def watch_in_browser(url: str, profile: Path, wanted: str, shot: Path) -> dict[str, Any]:
    """Open `url` in headless Chromium and read, through the DevTools protocol, the
    WebSocket frames the page receives until `wanted` is drawn (30 s at most)."""
    import aiohttp  # textual-serve's own dependency

    browser = subprocess.Popen(
        chromium_command(
            profile, "--remote-debugging-port=0", "--window-size=1000,700", "about:blank"
        ),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    result: dict[str, Any] = {"found": False, "seconds": None, "body": ""}
    try:
        assert browser.stderr is not None
        devtools = None
        deadline = time.monotonic() + 30
        while devtools is None and time.monotonic() < deadline:
            line = browser.stderr.readline().decode("utf-8", "replace")
            match = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if match:
                devtools = int(match.group(1))
            elif not line and browser.poll() is not None:
                break
        assert devtools is not None, "Chromium did not start its DevTools endpoint"
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{devtools}/json/list") as response:
                targets = await response.json()
            page = next(t for t in targets if t.get("type") == "page")
            async with session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                counter = 0

                async def call(method: str, **params: Any) -> dict[str, Any]:
                    nonlocal counter
                    counter += 1
                    wanted_id = counter
                    await ws.send_json({"id": wanted_id, "method": method, "params": params})
                    while True:
                        message = json.loads((await ws.receive(timeout=30)).data)
                        if message.get("id") == wanted_id:
                            reply: dict[str, Any] = message.get("result", {})
                            return reply
                        handle(message)

                received = bytearray()
                started = time.monotonic()

                def handle(message: dict[str, Any]) -> None:
                    if message.get("method") != "Network.webSocketFrameReceived":
                        return
                    frame = message["params"]["response"]
                    if frame.get("opcode") == 2:
                        received.extend(base64.b64decode(frame["payloadData"]))
                    if not result["found"] and wanted in screen_text(bytes(received)):
                        result["found"] = True
                        result["seconds"] = time.monotonic() - started

                await call("Network.enable")
                await call("Page.enable")
                await call("Page.navigate", url=url)
                while not result["found"] and time.monotonic() - started < 30:
                    try:
                        message = json.loads((await ws.receive(timeout=2)).data)
                    except TimeoutError:
                        continue
                    handle(message)
                await asyncio.sleep(0.8)  # let the terminal paint what arrived
                body = await call(
                    "Runtime.evaluate", expression="document.body.className", returnByValue=True
                )
                result["body"] = body.get("result", {}).get("value", "")
                picture = await call("Page.captureScreenshot", format="png")
                if "data" in picture:
                    shot.write_bytes(base64.b64decode(picture["data"]))
                result["text"] = screen_text(bytes(received))
    finally:
        stop_group(browser)
    return result


@needs_server
def test_the_server_answers_only_local_pages(tmp_path: Path) -> None:
    journal = write_demo_journal(tmp_path / "demo.tandem", today=date(2025, 6, 1))
    with running_server(journal.path, tmp_path / "server.log") as url:
        status, page = fetch(url)
        assert status == 200
        assert 'id="terminal"' in page and "textual.js" in page and "/ws" in page
        assert "googleapis" not in page  # no font from the internet
        assert "<div>Tandem</div>" in page and str(journal.path) not in page
        assert fetch(url, {"Host": "evil.example"})[0] == 403  # DNS rebinding
        assert fetch(url, {"Origin": "http://evil.example"})[0] == 403  # another site's page
        assert fetch(url.replace("127.0.0.1", "localhost"))[0] == 200


@needs_server
def test_every_request_needs_the_launch_key(tmp_path: Path) -> None:
    """Another user of this computer can reach the port but not the key: nothing is served."""
    journal = write_demo_journal(tmp_path / "demo.tandem", today=date(2025, 6, 1))
    with running_server(journal.path, tmp_path / "server.log") as url:
        base = url.split("?")[0]
        for path in ("", "ws", "static/js/textual.js", "?token=wrong", "ws?token=guess"):
            status, body = fetch(base + path)
            assert status == 403, path
            assert "key" in body
        status, page, headers = fetch_with_headers(url)
        assert status == 200
        cookie = headers.get("Set-Cookie", "")
        assert cookie.startswith(f"tandem_serve_token={TOKEN};")
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        # The page's own scripts and WebSocket go to the host it came from, with the cookie.
        assert 'src="/static/js/textual.js"' in page
        assert 'data-session-websocket-url="ws://127.0.0.1:' in page
        from_cookie = {"Cookie": f"tandem_serve_token={TOKEN}"}
        assert fetch(base + "static/js/textual.js", from_cookie)[0] == 200
        assert fetch(base + "static/js/textual.js", {"Cookie": "tandem_serve_token=x"})[0] == 403


@needs_server
def test_one_browser_session_at_a_time(tmp_path: Path) -> None:
    import aiohttp  # textual-serve's own dependency

    journal = write_demo_journal(tmp_path / "demo.tandem", today=date(2025, 6, 1))
    with running_server(journal.path, tmp_path / "server.log") as url:
        socket_url = url.split("?")[0].replace("http:", "ws:") + "ws?width=80&height=24"
        cookies = {"tandem_serve_token": TOKEN}

        async def two_tabs() -> int:
            async with (
                aiohttp.ClientSession(cookies=cookies) as session,
                session.ws_connect(socket_url),
            ):
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await session.ws_connect(socket_url)
                return refused.value.status

        assert asyncio.run(two_tabs()) == 409


@needs_server
@needs_chromium
def test_the_browser_shows_the_unlock_screen_not_the_journal(tmp_path: Path) -> None:
    journal = write_demo_journal(tmp_path / "demo.tandem", today=date(2025, 6, 1))
    shot = artifact("serve-unlock-screen.png")
    with running_server(journal.path, tmp_path / "server.log") as url:
        dumped = subprocess.run(
            chromium_command(
                tmp_path / "dump-profile", "--virtual-time-budget=5000", "--dump-dom", url
            ),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert dumped.returncode == 0, dumped.stderr[-2000:]
        assert 'class="terminal xterm' in dumped.stdout  # the page's script made the terminal
        assert "xterm-screen" in dumped.stdout

        seen = asyncio.run(watch_in_browser(url, tmp_path / "profile", "Unlock a journal", shot))
    assert seen["found"], seen.get("text", "")[-1500:]
    assert seen["seconds"] < 30
    assert "-first-byte" in seen["body"]  # the page drew what the app sent
    assert "demo.tandem" in seen["text"] and "Passphrase" in seen["text"]
    assert "Maya Rivera" not in seen["text"]  # the journal stayed locked
    assert shot.read_bytes().startswith(b"\x89PNG")


@needs_server
def test_without_a_path_each_session_opens_on_the_welcome_screen(tmp_path: Path) -> None:
    import aiohttp

    async def first_screen(url: str) -> str:
        base = url.split("?")[0]
        ws_url = base.replace("http://", "ws://") + "ws?width=100&height=30"
        received = bytearray()
        async with (
            aiohttp.ClientSession(cookies={"tandem_serve_token": TOKEN}) as session,
            session.ws_connect(ws_url, headers={"Origin": base.rstrip("/")}) as ws,
        ):
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    message = await ws.receive(timeout=2)
                except TimeoutError:
                    continue
                if message.type == aiohttp.WSMsgType.BINARY:
                    received.extend(message.data)
                    if "Welcome to Tandem" in screen_text(bytes(received)):
                        break
                elif message.type != aiohttp.WSMsgType.TEXT:
                    break
        return screen_text(bytes(received))

    with running_server(None, tmp_path / "server.log") as url:
        text = asyncio.run(first_screen(url))
    assert "Welcome to Tandem" in text and "Open the demo" in text
