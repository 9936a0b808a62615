"""A local HTTP server that speaks the OpenAI protocol (POST /v1/chat/completions and /v1/completions)
and answers from a script: each request takes the next Reply; with the script empty it answers
`default` (a Reply, or a function of the request's JSON body that returns one). Every request is kept
(path, headers, JSON body) for the tests to look at."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes | None = None  # None: an OpenAI completion of `text`
    text: str = "    return seed.d == 0\n"
    finish_reason: str = "stop"
    usage: tuple[int, int] | None = (100, 20)
    model: str | None = None  # None: the model asked for
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (timeouts)
    drop: bool = False  # close the connection without an answer
    choices: int | None = None  # 0: an empty choices list


def completion(path: str, request: dict, reply: Reply) -> bytes:
    choice = {"index": 0, "finish_reason": reply.finish_reason}
    if path.endswith("/chat/completions"):
        kind = "chat.completion"
        choice["message"] = {"role": "assistant", "content": reply.text}
    else:
        kind = "text_completion"
        choice["text"] = reply.text
    choices = [] if reply.choices == 0 else [choice]
    body = {"id": f"cmpl-{time.monotonic_ns()}", "object": kind, "created": 1764000000,
            "model": reply.model or request.get("model", ""), "choices": choices}
    if reply.usage is not None:
        body["usage"] = {"prompt_tokens": reply.usage[0], "completion_tokens": reply.usage[1],
                         "total_tokens": sum(reply.usage)}
    try:
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate has no UTF-8: send it as the JSON escape \\udXXX
        return json.dumps(body).encode("ascii")


class OpenAIServer:
    def __init__(self):
        self.script: deque[Reply] = deque()
        self.default: Reply | Callable[[dict], Reply] = Reply()
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                request = json.loads(raw or b"{}")
                server.requests.append({"path": self.path, "headers": dict(self.headers), "json": request})
                reply = server.script.popleft() if server.script else server.default
                if callable(reply):
                    reply = reply(request)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                body = reply.body if reply.body is not None else completion(self.path, request, reply)
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.headers.get("Content-Type", "application/json"))
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in reply.headers.items():
                        if name != "Content-Type":
                            self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> OpenAIServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
