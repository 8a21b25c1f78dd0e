"""A scripted OpenAI-compatible server on loopback, for fault tests.

Each request to ``/v1/chat/completions`` takes the next step of the script; when the
script is empty, a valid canned answer for the requested tool is sent. Every request
body is kept in ``requests`` so tests can see what the client really sent (re-asks
included).
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CANNED: dict[str, dict[str, Any]] = {
    "SummaryDraft": {
        "key_points": [{"sentences": [1], "point": "Choe Son-hui met Wang Yi in Beijing."}],
        "headline": "North Korea's foreign minister meets Wang Yi in Beijing",
        "summary": "North Korean Foreign Minister Choe Son-hui met Wang Yi in Beijing.",
    },
    "EventsDraft": {
        "events": [
            {
                "sentences": [1],
                "actors": ["Choe Son-hui"],
                "action": "met",
                "targets": ["Wang Yi"],
                "time": "Sunday (Sept 28)",
                "location": "Beijing",
                "status": "happened",
            }
        ]
    },
    "StancesDraft": {
        "stances": [
            {
                "sentences": [2],
                "holder": "Wang Yi",
                "target": "North Korea",
                "position": "support",
                "claim": "China will strengthen co-operation with North Korea",
                "attribution": "Chinese foreign ministry statement",
            }
        ]
    },
    "ClaimsDraft": {"claims": [{"label": "agree", "sentences": [1]}]},
    # The eval's bounded naive baseline, for an article without claims.
    "BoundedNaiveAnalysis": {
        "headline": "Choe Son-hui meets Wang Yi",
        "summary": "North Korean Foreign Minister Choe Son-hui met Wang Yi in Beijing.",
        "key_points": ["Choe Son-hui met Wang Yi in Beijing."],
        "events": [
            {
                "actors": ["Choe Son-hui"],
                "action": "met",
                "targets": ["Wang Yi"],
                "time": "Sunday",
                "date": None,
                "location": "Beijing",
                "status": "happened",
                "quote": "North Korean Foreign Minister Choe Son-hui met with China's top diplomat",
            }
        ],
        "stances": [],
        "claims": [],
    },
    "ReduceDraft": {
        "headline": "North Korea and China draw closer",
        "summary": "Choe Son-hui met Wang Yi in Beijing.",
    },
}
_FIRST_SENTENCE = re.compile(r"^\[(\d+)\] ", re.MULTILINE)
_CLAIM_LINE = re.compile(r"^\(\d+\) ", re.MULTILINE)


def canned(tool: str, body: dict[str, Any]) -> dict[str, Any]:
    """The canned answer, citing sentences that exist in the chunk the request shows."""
    text = json.dumps(CANNED.get(tool, {}))
    content = str(body["messages"][-1]["content"])
    found = _FIRST_SENTENCE.search(content)
    if found:
        first = int(found.group(1))
        second = first + 1 if f"\n[{first + 1}] " in content else first
        text = text.replace('"sentences": [2]', f'"sentences": [{second}]')
        text = text.replace('"sentences": [1]', f'"sentences": [{first}]')
    result: dict[str, Any] = json.loads(text)
    if tool == "ClaimsDraft":  # one label per claim the prompt lists
        asked = len(_CLAIM_LINE.findall(content.split("CLAIMS", 1)[-1]))
        result["claims"] = result["claims"][:1] * max(asked, 1)
    return result


@dataclass
class Step:
    """One scripted reply.

    ``kind``: answer | raw | status | hang | length | empty | reset | trickle | graded.
    """

    kind: str
    payload: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    echo_key: bool = False


def answer(payload: dict[str, Any]) -> Step:
    return Step("answer", payload)


def raw(arguments: str) -> Step:
    return Step("raw", arguments)


def status(code: int, headers: dict[str, str] | None = None, echo_key: bool = False) -> Step:
    """An HTTP error; ``echo_key`` puts the request's Authorization header in its message,
    as some proxies and providers do."""
    return Step("status", status=code, headers=headers or {}, echo_key=echo_key)


def graded(digit: str, top: dict[str, float] | None = None) -> Step:
    """A judge's answer: ``digit`` as the message's content. When the request asks for
    ``logprobs``, one token, the digit, with ``top`` (token -> probability) as its top
    alternatives (the digit's own probability is its entry there, else 1)."""
    return Step("graded", (digit, top))


def trickle(seconds: float) -> Step:
    """A valid answer whose body arrives a few bytes at a time over about ``seconds``."""
    return Step("trickle", seconds=seconds)


def hang(seconds: float) -> Step:
    return Step("hang", seconds=seconds)


def truncated(arguments: str = '{"events": [{"sentences": [1], "act') -> Step:
    return Step("length", arguments)


def empty_choices() -> Step:
    return Step("empty")


def reset() -> Step:
    return Step("reset")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 refuses connections when many clients connect at once.
    request_queue_size = 512

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up on a fault (a timeout, a trickle) is what the fault is for.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class ScriptedServer:
    def __init__(self, port: int = 0) -> None:
        self.script: deque[Step] = deque()
        # Seconds before each answer: a number, or a function of the request body.
        self.latency: float | Callable[[dict[str, Any]], float] = 0.0
        self.requests: list[dict[str, Any]] = []
        self.keys: list[str] = []  # the Authorization header of each request
        # Replies for every request whose prompt contains the marker, before the script:
        # a fault that sticks to one article of a batch.
        self.rules: dict[str, Step] = {}
        self.times: list[float] = []
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", port), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> ScriptedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def push(self, *steps: Step) -> None:
        with self._lock:
            self.script.extend(steps)

    def reset_state(self) -> None:
        with self._lock:
            self.script.clear()
            self.requests.clear()
            self.keys.clear()
            self.rules.clear()
            self.latency = 0.0
            self.times.clear()

    def _next(self, body: dict[str, Any], key: str) -> Step:
        with self._lock:
            self.requests.append(body)
            if not isinstance(self.requests, _Discard):
                self.keys.append(key)
            prompt = str(body["messages"][-1].get("content"))
            for marker, step in self.rules.items():
                if marker in prompt:
                    return step
            self.times.append(time.monotonic())
            return self.script.popleft() if self.script else Step("answer", None)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out as two writes; with Nagle's algorithm on, the
            # client's delayed ACK would stall every answer by ~40 ms.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._json(200, {"object": "list", "data": [{"id": "scripted", "object": "model"}]})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except (ValueError, OSError):
                    body = {}
                if "messages" not in body:  # a client that gave up halfway through sending
                    self._json(400, {"error": {"message": "no messages", "type": "scripted"}})
                    return
                key = self.headers.get("authorization", "")
                step = server._next(body, key)
                tool = _tool_name(body)
                if step.kind == "status":
                    message = f"scripted {step.status}" + (f" for {key}" if step.echo_key else "")
                    error = {"error": {"message": message, "type": "scripted"}}
                    self._json(step.status, error, step.headers)
                elif step.kind == "trickle":
                    self._trickle(
                        _completion(tool, json.dumps(canned(tool, body)), "tool_calls"),
                        step.seconds,
                    )
                elif step.kind == "hang":
                    time.sleep(step.seconds)
                    self._close()
                elif step.kind == "reset":
                    self._close()
                elif step.kind == "empty":
                    self._json(200, _completion(tool, None, "stop", empty=True))
                elif step.kind == "length":
                    self._json(200, _completion(tool, step.payload, "length"))
                elif step.kind == "raw":
                    self._json(200, _completion(tool, step.payload, "tool_calls"))
                elif step.kind == "graded":
                    delay = server.latency(body) if callable(server.latency) else server.latency
                    if delay:
                        time.sleep(delay)
                    self._json(200, _graded_completion(*step.payload, body))
                else:
                    delay = server.latency(body) if callable(server.latency) else server.latency
                    if delay:
                        time.sleep(delay)
                    payload = step.payload if step.payload is not None else canned(tool, body)
                    if body.get("tools"):
                        self._json(200, _completion(tool, json.dumps(payload), "tool_calls"))
                    else:  # a JSON mode: the answer is the message's content
                        self._json(200, _content_completion(json.dumps(payload), body))

            def _json(self, code: int, data: Any, headers: dict[str, str] | None = None) -> None:
                encoded = json.dumps(data).encode()
                self.send_response(code)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(encoded)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(encoded)

            def _trickle(self, data: Any, seconds: float) -> None:
                encoded = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(encoded)))
                self.end_headers()
                self.wfile.flush()
                pieces = [encoded[i : i + 16] for i in range(0, len(encoded), 16)]
                try:
                    for piece in pieces:
                        self.wfile.write(piece)
                        self.wfile.flush()
                        time.sleep(seconds / len(pieces))
                except OSError:  # the client gave up: what the fault is for
                    self.close_connection = True

            def _close(self) -> None:
                # Drop the connection with no answer, as a crashed proxy would.
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)

        return Handler


def _tool_name(body: dict[str, Any]) -> str:
    schema = (body.get("response_format") or {}).get("json_schema") or {}
    if schema.get("name"):
        return str(schema["name"])
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        return str(choice.get("function", {}).get("name", ""))
    tools = body.get("tools") or []
    return str(tools[0]["function"]["name"]) if tools else ""


def _completion(
    tool: str, arguments: str | None, finish: str, empty: bool = False
) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": None}
    if arguments is not None:
        message["tool_calls"] = [
            {"id": "call_1", "type": "function", "function": {"name": tool, "arguments": arguments}}
        ]
    choices = [] if empty else [{"index": 0, "message": message, "finish_reason": finish}]
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "scripted",
        "choices": choices,
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


# Each label value's one token, and its probability, when a request asks for logprobs.
LABEL_PROBABILITY = 0.7
_LABEL_VALUE = re.compile(r'("(?:status|position|label)": ")([^"]*)')


def _content_completion(text: str, body: dict[str, Any]) -> dict[str, Any]:
    """An answer as the message's content; with ``logprobs``, one token per label value
    (probability :data:`LABEL_PROBABILITY`) and certain tokens around them."""
    completion = _completion("", None, "stop")
    choice = completion["choices"][0]
    choice["message"]["content"] = text
    if body.get("logprobs"):
        pieces = _LABEL_VALUE.split(text)  # before, key, value, before, key, value, ...
        choice["logprobs"] = {
            "content": [
                {
                    "token": piece,
                    "logprob": math.log(LABEL_PROBABILITY) if i % 3 == 2 else 0.0,
                    "bytes": list(piece.encode()),
                    "top_logprobs": [],
                }
                for i, piece in enumerate(pieces)
                if piece
            ]
        }
    return completion


def _graded_completion(digit: str, top: dict[str, float] | None, body: dict[str, Any]) -> Any:
    completion = _completion("", None, "stop")
    choice = completion["choices"][0]
    choice["message"]["content"] = digit
    completion["usage"] = {"prompt_tokens": 100, "completion_tokens": 1, "total_tokens": 101}
    if body.get("logprobs"):

        def entry(token: str, probability: float) -> dict[str, Any]:
            return {"token": token, "logprob": math.log(probability), "bytes": list(token.encode())}

        alternatives = [entry(t, p) for t, p in (top or {}).items()]
        choice["logprobs"] = {
            "content": [{**entry(digit, (top or {}).get(digit, 1.0)), "top_logprobs": alternatives}]
        }
    return completion


def main() -> None:
    """Serve canned answers with a fixed latency (the benchmarks use it as a process)."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per answer")
    parser.add_argument("--keep-requests", action="store_true")
    options = parser.parse_args()
    server = ScriptedServer(options.port)
    server.latency = options.latency
    if not options.keep_requests:
        server.requests = _Discard()
    server.start()
    print(server.base_url, flush=True)
    try:
        server._thread.join()
    except KeyboardInterrupt:
        server.stop()


class _Discard(list[dict[str, Any]]):
    """A request log that keeps nothing, so a long benchmark's memory stays flat."""

    def append(self, item: dict[str, Any]) -> None:
        pass


if __name__ == "__main__":
    main()
