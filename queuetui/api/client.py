"""The HTTP client for DeepCall: `queue/bargingCall`, and JSON endpoints such as the live call list. Sync and
thread-safe; knows nothing of the UI.

httpx (with the modules it brings, about 30 ms) loads when a client first needs it: for this machine, at the
first request, so the demo's session opens without it; for any other host, as the session opens.
"""

from __future__ import annotations

import json
import os
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from queuetui import __version__
from queuetui.api.addresses import is_loopback
from queuetui.api.credentials import SessionAuth, TokenAuth
from queuetui.api.errors import (
    CallFailed,
    ConnectFailed,
    ProtocolError,
    RequestTimeout,
    TlsFailed,
)
from queuetui.api.fields import CREDENTIAL_FIELDS, api_path_problem
from queuetui.api.response import JsonAnswer, Success, interpret, interpret_json
from queuetui.api.text import has_unsafe_chars, printable

if TYPE_CHECKING:
    import httpx

    from queuetui.api.models import BargeRequest

BARGING_CALL_PATH = "queue/bargingCall"
MAX_BODY_BYTES = 1024 * 1024
API_PATH = "/api/v2"
ENDPOINTS = ("/queue/bargingCall", "/queue/list")
# Far longer than any DeepCall base URL, and far short of what httpx refuses to send (64 KiB).
MAX_URL_CHARS = 2048
# A live list of thousands of calls is far longer than any bargingCall answer.
MAX_LIST_BODY_BYTES = 10 * 1024 * 1024


class UnsafeUrl(ValueError):
    """The base URL is refused before anything is sent. `label` names the setting to fix."""

    label = "Base URL"


class BadProxy(UnsafeUrl):
    """The proxy settings in the environment (HTTPS_PROXY, ALL_PROXY...) cannot be used."""

    label = "Proxy"


class BadCaBundle(UnsafeUrl):
    """The profile's CA bundle cannot be loaded. An UnsafeUrl, so a front end that handles a refused URL
    also handles this: either way nothing can be sent safely."""

    label = "CA bundle (ca_bundle)"


class BadTrustStore(UnsafeUrl):
    """The certificates named by the environment (SSL_CERT_FILE) cannot be loaded."""

    label = "Certificates"


@dataclass(frozen=True)
class ClientSettings:
    base_url: str
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    # A body that drips one byte at a time never trips the read timeout; this caps the whole exchange.
    total_timeout: float = 30.0
    ca_bundle: str | None = None
    allow_insecure_http: bool = False


def check_base_url(url: str, allow_insecure_http: bool = False) -> str:
    """The base URL without a trailing slash, or UnsafeUrl saying why it is refused."""
    url = url.strip().rstrip("/")
    if len(url) > MAX_URL_CHARS:
        raise UnsafeUrl(f"must be at most {MAX_URL_CHARS} characters long")
    if has_unsafe_chars(url) or any(ch.isspace() for ch in url):
        raise UnsafeUrl("must not contain spaces or control characters")
    try:
        parts = urlsplit(url)
        # A bad port or host name would otherwise surface only when sending, as an exception no caller expects.
        _ = parts.port
        (parts.hostname or "").encode("idna")
    except ValueError:
        raise UnsafeUrl("must look like https://host/api/v2") from None
    if not is_loopback(parts.hostname or ""):
        _check_host_as_sent(url, parts.hostname or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeUrl("must look like https://host/api/v2")
    if parts.username or parts.password:
        raise UnsafeUrl("must not carry a user name or password")
    if parts.query or parts.fragment:
        raise UnsafeUrl("must not have a query or fragment")
    if parts.scheme == "http" and not (allow_insecure_http or is_loopback(parts.hostname)):
        raise UnsafeUrl("must use https:// (http:// is allowed only for this machine, e.g. 127.0.0.1)")
    return _api_base(url, parts.path)


def _check_host_as_sent(url: str, host: str) -> None:
    """httpx refuses some host names that urlsplit lets through (1.2.3.256, a malformed xn-- label). A loopback
    host matched an address or `localhost` exactly, so only other hosts need this, and the demo opens without
    loading httpx."""
    import httpx

    try:
        _ = httpx.URL(url).host
    except (ValueError, httpx.InvalidURL):
        if host:  # the host is what fails here (the port was checked before): named, a mistyped address shows
            raise UnsafeUrl(f"has a host that is not a valid name or address: {printable(host, 80)}") from None
        raise UnsafeUrl("must look like https://host/api/v2") from None


def _api_base(url: str, path: str) -> str:
    """The URL that endpoints go under. People paste the bare brand host or a whole endpoint URL from the
    documentation: both are read as the base they name. Any other path is refused, never POSTed to."""
    base = url[: len(url) - len(path)]
    if not path:
        return base + API_PATH
    lowered = path.lower()
    for endpoint in ENDPOINTS:
        if lowered.endswith(endpoint.lower()):
            path = path[: -len(endpoint)]
            break
    if not path.lower().endswith(API_PATH):
        raise UnsafeUrl(f"must end in {API_PATH}, e.g. https://v4-api.deepcall.com{API_PATH}")
    return base + path


def _cause_text(error: BaseException) -> str:
    """The root cause of a connect failure, in words, without the request's contents."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return f"TLS certificate not trusted ({seen.verify_message})"
        if isinstance(seen, ssl.SSLError):
            return f"TLS handshake failed ({seen.reason or 'ssl error'})"
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused (is the server running?)"
        seen = seen.__cause__ or seen.__context__
    text = str(error).lower()
    if "name or service not known" in text or "nodename nor servname" in text or "name resolution" in text:
        return "host name could not be resolved (DNS)"
    if "certificate" in text or "ssl" in text:
        return "TLS handshake failed"
    if "refused" in text:
        return "connection refused (is the server running?)"
    return "could not connect"


def _ca_context(ca_bundle: str) -> ssl.SSLContext:
    try:
        return ssl.create_default_context(cafile=ca_bundle)
    except ssl.SSLError:  # before OSError: SSLError is one
        raise BadCaBundle(f"{printable(ca_bundle, 200)} holds no usable PEM certificate") from None
    except OSError as error:
        raise BadCaBundle(f"{printable(ca_bundle, 200)} cannot be read ({error.strerror or 'error'})") from None


@cache
def system_trust() -> ssl.SSLContext:
    """The certificates a host without a CA bundle of its own is checked against: the environment's
    SSL_CERT_FILE or SSL_CERT_DIR, else certifi's, as httpx reads them. Loading them takes about 30 ms; built once
    and shared by every client, so a sign-in on a console's UI thread does not load them again."""
    import httpx

    named = os.environ.get("SSL_CERT_FILE", "")
    try:
        return httpx.create_ssl_context()
    except OSError as error:  # an ssl.SSLError too
        if not named:
            raise  # certifi's own file failed: a broken install, not a setting to fix
        if isinstance(error, ssl.SSLError):
            problem = "holds no usable PEM certificate"
        else:
            problem = f"cannot be read ({error.strerror or 'error'})"
    shown = printable(named, 200)
    raise BadTrustStore(f"SSL_CERT_FILE={shown} {problem}; fix or unset it, or set the profile's ca_bundle")


class DeepCallClient:
    """One connection pool to one DeepCall base URL."""

    def __init__(self, settings: ClientSettings, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self.base_url = check_base_url(settings.base_url, settings.allow_insecure_http)
        parts = urlsplit(self.base_url)
        self.host = parts.netloc
        loopback = is_loopback(parts.hostname or "")
        verify: ssl.SSLContext | bool = True  # HTTPS to this machine: httpx's own, which ignores the environment
        if settings.ca_bundle:
            verify = _ca_context(settings.ca_bundle)
        elif loopback and parts.scheme == "http":
            # Plain HTTP to this machine, with no proxy and no redirects, never does TLS: loading the system's
            # certificate store would only add about 30 ms to the demo's start.
            verify = False
        elif not loopback:
            verify = system_trust()
        self._verify = verify
        self._loopback = loopback
        self._transport = transport
        self._pool: httpx.Client | None = None
        self._pool_lock = threading.Lock()
        self._closed = False
        self._cut_off = False  # a stop cut a request off inside the library: the pool is never closed
        self._stopped = False  # no new request may start: signed out, or closing
        # Any other host reads proxy settings from the environment: built now, so a bad one refuses the session
        # at sign-in. For this machine nothing is read, so nothing can fail: the pool (with httpx, httpcore and
        # h11 behind it, about 55 ms) waits for the first request, and the demo is usable that much sooner.
        if not loopback:
            self._connection()

    def _connection(self) -> httpx.Client:
        with self._pool_lock:
            if self._stopped:  # signed out while this request waited for a retry, or for its worker
                raise ProtocolError(f"{self.host}: not sent, the session was closed (signed out)")
            if self._pool is None:
                import httpx

                try:
                    self._pool = httpx.Client(
                        timeout=httpx.Timeout(
                            connect=self.settings.connect_timeout,
                            read=self.settings.read_timeout,
                            write=self.settings.read_timeout,
                            pool=self.settings.connect_timeout,
                        ),
                        verify=self._verify,
                        # Credentials travel in the body: a redirect must never carry them to another place.
                        follow_redirects=False,
                        # HTTPS_PROXY and friends apply, except to this machine: the demo must never leave it.
                        trust_env=not self._loopback,
                        transport=self._transport,
                        headers={"User-Agent": f"queuetui/{__version__}"},
                    )
                except (ImportError, ValueError, httpx.InvalidURL) as error:
                    # e.g. a socks5:// proxy without its extra package, or a proxy URL that does not parse.
                    raise BadProxy(
                        f"proxy settings in the environment cannot be used ({type(error).__name__})"
                    ) from None
            return self._pool

    @property
    def endpoint(self) -> str:
        return self.url_for(BARGING_CALL_PATH)

    def url_for(self, path: str) -> str:
        return f"{self.base_url}/{path}"

    def barging_call(self, request: BargeRequest, credentials: SessionAuth | TokenAuth) -> Success:
        """Send one request; return the success text or raise a CallFailed subclass."""
        status, body = self._exchange(BARGING_CALL_PATH, request.wire_body(credentials), MAX_BODY_BYTES)
        return interpret(self.host, status, body)

    def post_json(self, path: str, body: Mapping[str, object], credentials: SessionAuth | TokenAuth) -> JsonAnswer:
        """POST `body` to `{base_url}/{path}` with the credentials in it exactly as `bargingCall` sends them,
        and return the parsed JSON answer (at most MAX_LIST_BODY_BYTES). Raises what `barging_call` raises: a
        DeepCall error object is a DeepCallError from the same catalogue. ValueError, before anything is sent,
        for a path that is not a plain relative API path or a body that carries credential fields itself."""
        problem = api_path_problem(path)
        if problem:
            raise ValueError(f"path {printable(path, 80)!r} {problem}")
        clashing = sorted(CREDENTIAL_FIELDS.intersection(body))
        if clashing:
            raise ValueError(f"the body must not carry {', '.join(clashing)}: credentials are added from the sign-in")
        status, raw = self._exchange(path, {**body, **credentials.wire()}, MAX_LIST_BODY_BYTES)
        return interpret_json(self.host, status, raw)

    def _exchange(self, path: str, payload: Mapping[str, object], limit: int) -> tuple[int, bytes]:
        """POST the payload as JSON; the status and the body (at most `limit` bytes), or a CallFailed whose
        message names the host and the cause, never the request's contents."""
        import httpx  # for a client on this machine, the first request is where httpx loads

        content = json.dumps(payload, separators=(",", ":")).encode()
        try:
            return self._post(self.url_for(path), content, limit)
        except CallFailed:
            raise
        except httpx.TimeoutException:
            raise RequestTimeout(self.host, "no answer in time (timed out)") from None
        except httpx.ConnectError as error:
            cause = _cause_text(error)
            kind = TlsFailed if cause.startswith("TLS") else ConnectFailed
            raise kind(self.host, cause) from None
        except httpx.InvalidURL:
            # Not an HTTPError: a URL httpx will not send (too long, say) that the base URL checks let through.
            raise ProtocolError(f"{self.host}: the request's URL cannot be sent (InvalidURL)") from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
            raise ProtocolError(f"{self.host}: the connection dropped before the answer was complete") from None
        except httpx.HTTPError as error:
            raise ProtocolError(f"{self.host}: {type(error).__name__}") from None
        except BaseException as stop:
            if not isinstance(stop, Exception):
                # A stop (Ctrl+C, a signal's exception) is raised wherever this thread is: perhaps inside the
                # library, between its pool taking a lock and the block that frees it, and closing the pool would
                # wait for that lock forever. The process is ending; its connections end with it.
                self._cut_off = True
            raise

    def _post(self, url: str, content: bytes, limit: int) -> tuple[int, bytes]:
        deadline = time.monotonic() + self.settings.total_timeout
        headers = {"Content-Type": "application/json"}
        shown_limit = f"{limit / (1024 * 1024):g} MiB"
        with self._connection().stream("POST", url, content=content, headers=headers) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise ProtocolError(f"{self.host} answered with {int(declared):,} bytes; refused (limit {shown_limit})")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise ProtocolError(f"{self.host} answered with more than {shown_limit}; refused")
                if time.monotonic() > deadline:
                    raise RequestTimeout(self.host, f"answer took longer than {self.settings.total_timeout:g} s")
                chunks.append(chunk)
            return response.status_code, b"".join(chunks)

    @property
    def closed(self) -> bool:
        return self._closed

    def stop_sending(self) -> None:
        """Refuse every request not yet on its way; one already sent keeps its connection and gets its answer."""
        with self._pool_lock:
            self._stopped = True

    def close(self) -> None:
        with self._pool_lock:
            self._stopped = True
            self._closed = True
            if self._pool is not None and not self._cut_off:
                self._pool.close()

    def __enter__(self) -> DeepCallClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
