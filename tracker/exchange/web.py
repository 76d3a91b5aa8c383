"""Getting JSON from TMDB and Wikidata over HTTPS, politely: a User-Agent that says who asks,
timeouts, and retries with backoff on 429 and 5xx that honour Retry-After. Every failure is
one RemoteError with a one-line message. httpx is imported only here, and only by `fetch`
and `sync`.

Settings from the environment (tests make them fast): $TRACKER_HTTP_TIMEOUT (seconds, 20),
$TRACKER_HTTP_RETRIES (3), $TRACKER_HTTP_BACKOFF (first wait in seconds, 1; doubled each
try), $TRACKER_HTTP_MAX_WAIT (the longest wait, Retry-After included, 60).
"""

from __future__ import annotations

import email.utils
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tracker import __version__
from tracker.errors import RemoteError

USER_AGENT = f"tracker/{__version__} (film release tracker; python-httpx)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        raise RemoteError(f"${name} must be a number of seconds") from None


@dataclass
class Settings:
    timeout: float = field(default_factory=lambda: _env_float("TRACKER_HTTP_TIMEOUT", 20))
    retries: int = field(default_factory=lambda: int(_env_float("TRACKER_HTTP_RETRIES", 3)))
    backoff: float = field(default_factory=lambda: _env_float("TRACKER_HTTP_BACKOFF", 1))
    max_wait: float = field(default_factory=lambda: _env_float("TRACKER_HTTP_MAX_WAIT", 60))


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks for (a number, or an HTTP date), or None."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class Client:
    """One service: its name (for messages), base address, and what every request carries."""

    def __init__(
        self,
        service: str,
        base: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        settings: Settings | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        import httpx

        self.service = service
        self.settings = settings or Settings()
        self.sleep = sleep
        self.params = dict(params or {})
        self.http = httpx.Client(
            base_url=base.rstrip("/"),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})},
            timeout=self.settings.timeout,
            follow_redirects=True,
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()

    def _wait(self, attempt: int, header: str | None) -> None:
        asked = retry_after(header)
        wait = asked if asked is not None else self.settings.backoff * 2**attempt
        self.sleep(min(wait, self.settings.max_wait))

    def get_json(self, path: str, params: Mapping[str, str] | None = None, *, what: str) -> Any:
        """GET base + path as JSON; `what` names the resource in messages ("movie 603")."""
        import httpx

        query = {**self.params, **(params or {})}
        host = self.http.base_url.host or str(self.http.base_url)
        problem = ""
        retry_header: str | None = None
        for attempt in range(self.settings.retries + 1):
            if attempt:
                self._wait(attempt - 1, retry_header)
                retry_header = None
            try:
                response = self.http.get(path, params=query)
                body = response.content  # read it all: a cut reply fails here
            except httpx.TimeoutException:
                problem = f"{self.service} did not answer within {self.settings.timeout:g} s"
                continue
            except httpx.ConnectError as error:
                raise RemoteError(
                    f"cannot reach {self.service} at {host} (offline?): {error}"
                ) from None
            except (httpx.RemoteProtocolError, httpx.ReadError) as error:
                problem = f"{self.service} sent an incomplete reply for {what} ({error})"
                continue
            except httpx.HTTPError as error:
                raise RemoteError(f"{self.service}: {error}") from None
            status = response.status_code
            if status in RETRY_STATUSES:
                retry_header = response.headers.get("Retry-After")
                problem = f"{self.service} answered {status} for {what}"
                continue
            if status == 401:
                raise RemoteError(f"{self.service} refused the credentials (401): {self._hint()}")
            if status == 404:
                raise RemoteError(f"{self.service} has no {what} (404)")
            if status >= 400:
                raise RemoteError(f"{self.service} answered {status} for {what}")
            try:
                return response.json() if body else None
            except ValueError:
                problem = f"{self.service} sent an incomplete or invalid JSON reply for {what}"
                continue
        tries = self.settings.retries + 1
        raise RemoteError(f"{problem} (after {tries} tr{'y' if tries == 1 else 'ies'})")

    def _hint(self) -> str:
        if self.service == "TMDB":
            return "check $TMDB_API_KEY or $TMDB_READ_TOKEN"
        return "check the address ($TRACKER_WIKIDATA_URL)"


def tmdb_client(**options: Any) -> Client:
    """TMDB's v3 API with $TMDB_READ_TOKEN (bearer) or $TMDB_API_KEY (v3 key), at
    $TRACKER_TMDB_URL or https://api.themoviedb.org/3."""
    token = os.environ.get("TMDB_READ_TOKEN", "").strip()
    key = os.environ.get("TMDB_API_KEY", "").strip()
    if not (token or key):
        raise RemoteError(
            "set $TMDB_API_KEY (a v3 API key) or $TMDB_READ_TOKEN (a read access token)"
            " to fetch from TMDB"
        )
    base = os.environ.get("TRACKER_TMDB_URL") or "https://api.themoviedb.org/3"
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    params = {} if token else {"api_key": key}
    return Client("TMDB", base, headers=headers, params=params, **options)


def wikidata_client(**options: Any) -> Client:
    """Wikidata at $TRACKER_WIKIDATA_URL or https://www.wikidata.org."""
    base = os.environ.get("TRACKER_WIKIDATA_URL") or "https://www.wikidata.org"
    return Client("Wikidata", base, **options)
