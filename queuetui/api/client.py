"""The HTTP client for DeepCall's `queue/bargingCall`. Sync and thread-safe; knows nothing of the UI."""

from __future__ import annotations

import ipaddress
import json
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from queuetui import __version__
from queuetui.api.errors import (
    CallFailed,
    ConnectFailed,
    ProtocolError,
    RequestTimeout,
    TlsFailed,
)
from queuetui.api.models import BargeRequest, SessionAuth, TokenAuth
from queuetui.api.response import Success, interpret
from queuetui.api.text import has_unsafe_chars, printable

MAX_BODY_BYTES = 1024 * 1024


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


@dataclass(frozen=True)
class ClientSettings:
    base_url: str
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    # A body that drips one byte at a time never trips the read timeout; this caps the whole exchange.
    total_timeout: float = 30.0
    ca_bundle: str | None = None
    allow_insecure_http: bool = False


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(url: str, allow_insecure_http: bool = False) -> str:
    """The base URL without a trailing slash, or UnsafeUrl saying why it is refused."""
    url = url.strip().rstrip("/")
    if has_unsafe_chars(url) or any(ch.isspace() for ch in url):
        raise UnsafeUrl("must not contain spaces or control characters")
    try:
        parts = urlsplit(url)
        # A bad port or host name would otherwise surface only when sending, as an exception no caller expects.
        _ = parts.port
        (parts.hostname or "").encode("idna")
        _ = httpx.URL(url).host
    except (ValueError, httpx.InvalidURL):
        raise UnsafeUrl("must look like https://host/api/v2") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeUrl("must look like https://host/api/v2")
    if parts.username or parts.password:
        raise UnsafeUrl("must not carry a user name or password")
    if parts.query or parts.fragment:
        raise UnsafeUrl("must not have a query or fragment")
    if parts.scheme == "http" and not (allow_insecure_http or _is_loopback(parts.hostname)):
        raise UnsafeUrl("must use https:// (http:// is allowed only for this machine, e.g. 127.0.0.1)")
    return url


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


class DeepCallClient:
    """One connection pool to one DeepCall base URL."""

    def __init__(self, settings: ClientSettings, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self.base_url = check_base_url(settings.base_url, settings.allow_insecure_http)
        parts = urlsplit(self.base_url)
        self.host = parts.netloc
        verify: ssl.SSLContext | bool = True
        if settings.ca_bundle:
            verify = _ca_context(settings.ca_bundle)
        loopback = _is_loopback(parts.hostname or "")
        try:
            self._http = httpx.Client(
                timeout=httpx.Timeout(
                    connect=settings.connect_timeout,
                    read=settings.read_timeout,
                    write=settings.read_timeout,
                    pool=settings.connect_timeout,
                ),
                verify=verify,
                # Credentials travel in the body: a redirect must never carry them to another place.
                follow_redirects=False,
                # HTTPS_PROXY and friends apply, except to this machine: the demo must never leave it.
                trust_env=not loopback,
                transport=transport,
                headers={"User-Agent": f"queuetui/{__version__}"},
            )
        except (ImportError, ValueError, httpx.InvalidURL) as error:
            # e.g. a socks5:// proxy without its extra package, or a proxy URL that does not parse.
            raise BadProxy(f"proxy settings in the environment cannot be used ({type(error).__name__})") from None

    @property
    def endpoint(self) -> str:
        return f"{self.base_url}/queue/bargingCall"

    def barging_call(self, request: BargeRequest, credentials: SessionAuth | TokenAuth) -> Success:
        """Send one request; return the success text or raise a CallFailed subclass."""
        content = json.dumps(request.wire_body(credentials), separators=(",", ":")).encode()
        if self._http.is_closed:  # signed out while this request waited for a retry
            raise ProtocolError(f"{self.host}: not sent, the session was closed (signed out)")
        try:
            status, body = self._post(content)
        except CallFailed:
            raise
        except httpx.TimeoutException:
            raise RequestTimeout(self.host, "no answer in time (timed out)") from None
        except httpx.ConnectError as error:
            cause = _cause_text(error)
            kind = TlsFailed if cause.startswith("TLS") else ConnectFailed
            raise kind(self.host, cause) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
            raise ProtocolError(f"{self.host}: the connection dropped before the answer was complete") from None
        except httpx.HTTPError as error:
            raise ProtocolError(f"{self.host}: {type(error).__name__}") from None
        return interpret(self.host, status, body)

    def _post(self, content: bytes) -> tuple[int, bytes]:
        deadline = time.monotonic() + self.settings.total_timeout
        headers = {"Content-Type": "application/json"}
        with self._http.stream("POST", self.endpoint, content=content, headers=headers) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
                raise ProtocolError(f"{self.host} answered with {int(declared):,} bytes; refused (limit 1 MiB)")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise ProtocolError(f"{self.host} answered with more than 1 MiB; refused")
                if time.monotonic() > deadline:
                    raise RequestTimeout(self.host, f"answer took longer than {self.settings.total_timeout:g} s")
                chunks.append(chunk)
            return response.status_code, b"".join(chunks)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> DeepCallClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
