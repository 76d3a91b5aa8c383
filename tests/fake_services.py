"""A fake TMDB and Wikidata on 127.0.0.1 for the fetch and sync tests (and the README's
examples): serves recorded responses, and on request 429, 500, 401, 404, slow and truncated
replies. Nothing here touches the network.

    python -m tests.fake_services --port 48731 --requests 2   # the README's demo server
"""

from __future__ import annotations

import argparse
import copy
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"
NOT_FOUND = {"success": False, "status_code": 34, "status_message": "The resource you requested could not be found."}  # fmt: skip


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    truncate: bool = False  # announce the whole body, send half of it, hang up


def json_reply(data: Any, status: int = 200, **options: Any) -> Reply:
    return Reply(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), **options)


def file_reply(relative: str) -> Reply:
    return Reply(200, (FIXTURES / relative).read_bytes())


@dataclass
class Request:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


class FakeService:
    """Replies per path, in order (the last one repeats); an unknown path is TMDB's 404."""

    def __init__(self, port: int = 0) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[Request] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                service.requests.append(
                    Request(parts.path, parse_qs(parts.query), dict(self.headers.items()))
                )
                queue = service.routes.get(parts.path)
                reply = (queue.pop(0) if len(queue) > 1 else queue[0]) if queue else None
                reply = reply or json_reply(NOT_FOUND, 404)
                time.sleep(reply.delay)
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(reply.body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if reply.truncate:
                    self.wfile.write(reply.body[: len(reply.body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(reply.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet tests

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client hanging up on a slow or cut reply is expected here

        self.server = Server(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def serve(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def __enter__(self) -> FakeService:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def dune(moved: bool = False) -> Any:
    """The made Dune: Part Two movie response; `moved`: a week later, with its US theatrical
    date moved to 15 March and the IMAX early access dropped."""
    data = json.loads((FIXTURES / "tmdb/movie-693134-made.json").read_text("utf-8"))
    if moved:
        data = copy.deepcopy(data)
        us = next(c for c in data["release_dates"]["results"] if c["iso_3166_1"] == "US")
        us["release_dates"] = [e for e in us["release_dates"] if e["type"] != 3]
        us["release_dates"].append(
            {"certification": "PG-13", "iso_639_1": "", "note": "",
             "release_date": "2024-03-15T00:00:00.000Z", "type": 3}
        )  # fmt: skip
    return data


def serve_demo(service: FakeService) -> None:
    """What the README's examples fetch: Dune: Part Two (moved from the second request on),
    its collection, and its Wikidata item."""
    service.serve("/3/movie/693134", json_reply(dune()), json_reply(dune(True)))
    service.serve("/3/collection/726871", file_reply("tmdb/collection-726871-made.json"))
    entity = json.loads((FIXTURES / "wikidata/Q104791523-made.json").read_text("utf-8"))
    film = {"entities": {"Q104791523": entity["entities"]["Q104791523"]}}
    service.serve("/wiki/Special:EntityData/Q104791523.json", json_reply(film))
    labels = {
        q: {"id": q, "labels": {"en": {"language": "en", "value": name}}}
        for q, name in [("Q3058217", "Denis Villeneuve"), ("Q19865183", "Timothée Chalamet"),
                        ("Q189490", "Zendaya"), ("Q4165246", "Dune"), ("Q1123", "Wadi Rum"),
                        ("Q878", "United Arab Emirates")]
    }  # fmt: skip
    service.serve("/w/api.php", json_reply({"entities": labels, "success": 1}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=48731)
    parser.add_argument("--requests", type=int, default=2, help="stop after this many")
    parser.add_argument("--seconds", type=float, default=120, help="stop after this long anyway")
    parser.add_argument("--ready", type=Path, help="a file made once the service listens")
    args = parser.parse_args()
    with FakeService(args.port) as service:
        serve_demo(service)
        if args.ready is not None:
            args.ready.touch()  # what a caller waits for, however slow the start was
        deadline = time.monotonic() + args.seconds
        while len(service.requests) < args.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)  # let the last reply finish


if __name__ == "__main__":
    main()
