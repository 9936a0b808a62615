"""One request to an OpenAI-compatible endpoint through the `openai` package, and everything a record of
it needs: the request's parameters, the HTTP body as received, the completion before any trimming, finish
reason, usage, latency, cost — or the fault.

A body or completion longer than MAX_RECORDED characters is recorded cut there, and `params.truncated` says
so with its full length (what a rule needs is far shorter; parse.extract refuses anything over 64 KiB).

The package's own retries are off (max_retries=0): each attempt is a call of its own in the record. The key
is read from LLM_API_KEY when the client is made; it is kept out of everything this module returns (a server
that echoes it back has it replaced by "[redacted]")."""

from __future__ import annotations

import json
import os
import re
import threading
import time
from dataclasses import dataclass, field

import openai

from evolution.llm import faults, prices
from evolution.llm.settings import LLMSettings

REDACTED = "[redacted]"
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
NO_KEY = "no-key"  # local servers want none; the openai package refuses an empty one
MAX_RECORDED = 262_144  # characters of a response body, and of a completion, kept in the record


@dataclass
class Exchange:
    """A call as the ledger records it (record_llm_call's fields), plus what the engine acts on."""

    fields: dict
    text: str = ""  # the completion (empty when the call failed)
    retry_after: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def fault(self) -> str:
        return self.fields.get("error_type", "")


class Client:
    def __init__(self, settings: LLMSettings, prices_version: str = prices.CURRENT, environ=os.environ):
        self.settings = settings
        self.prices = prices.load(prices_version)
        self._key = environ.get("LLM_API_KEY", "")
        self._counting = threading.local()  # a step's calls may be in flight together, each in its thread
        self._openai = openai.OpenAI(api_key=self._key or NO_KEY, base_url=settings.base_url,
                                     timeout=settings.timeout, max_retries=0)

    def __repr__(self) -> str:  # never the key, even in a traceback's locals
        return f"Client({self.settings.model!r} at {self.settings.server_address!r})"

    @property
    def operation(self) -> str:
        return "chat" if self.settings.style == "chat" else "text_completion"

    def request_fields(self, attempt: int) -> dict:
        s = self.settings
        return dict(
            operation_name=self.operation, provider_name=s.provider, server_address=s.server_address,
            request_model=s.model, request_temperature=s.temperature, request_top_p=s.top_p,
            request_max_tokens=s.max_tokens, request_seed=s.seed, request_choice_count=1,
            params={"endpoint": "/chat/completions" if s.style == "chat" else "/completions"},
            attempt=attempt,
        )

    def call(self, prompt: str, attempt: int = 1) -> Exchange:
        fields = self.request_fields(attempt)
        self._counting.redactions = 0
        started = time.monotonic()
        try:
            raw = self._send(prompt)
        except openai.APIStatusError as error:
            failed = {**fields, "error_type": str(error.status_code),
                      "error": self._clean(f"HTTP {error.status_code}: {error.message}")}
            _record(failed, "response_body", self._decode(error.response.content))
            exchange = Exchange(failed)
            exchange.retry_after = faults.retry_after(error.response.headers)
        except openai.APITimeoutError:
            exchange = Exchange({**fields, "error_type": faults.TIMEOUT,
                                 "error": f"no answer within {self.settings.timeout:g} s"})
        except openai.APIConnectionError as error:
            exchange = Exchange({**fields, "error_type": faults.CONNECTION, "error": self._clean(str(error))})
        except openai.OpenAIError as error:
            exchange = Exchange({**fields, "error_type": faults.MALFORMED,
                                 "error": self._clean(f"{type(error).__name__}: {error}")})
        else:
            exchange = self._read(fields, raw.http_response.content)
        exchange.fields["latency_seconds"] = time.monotonic() - started
        if self._counting.redactions:
            exchange.notes.append(f"the API key was in the answer: replaced by {REDACTED}")
        return exchange

    def _send(self, prompt: str):
        s = self.settings
        options = {"model": s.model, "max_tokens": s.max_tokens, "temperature": s.temperature,
                   "top_p": s.top_p, "seed": s.seed}
        options = {name: value for name, value in options.items() if value is not None}
        if s.style == "chat":
            return self._openai.chat.completions.with_raw_response.create(
                messages=[{"role": "user", "content": prompt}], **options)
        return self._openai.completions.with_raw_response.create(prompt=prompt, **options)

    def _read(self, fields: dict, content: bytes) -> Exchange:
        _record(fields, "response_body", self._decode(content))
        try:
            data = json.loads(content)
        except ValueError as error:
            return _failed(fields, faults.MALFORMED, f"not JSON: {error}")
        if not isinstance(data, dict):
            return _failed(fields, faults.MALFORMED, "not a JSON object")
        fields.update(self._usage(data))
        fields["response_id"] = _string(data.get("id"))[:200]
        fields["response_model"] = _string(data.get("model"))[:200]
        choices = data.get("choices")
        if not isinstance(choices, list):
            return _failed(fields, faults.MALFORMED, "the answer has no choices list")
        if not choices:
            return _failed(fields, faults.EMPTY_CHOICES, "the answer has no choices")
        choice = choices[0] if isinstance(choices[0], dict) else {}
        if self.settings.style == "chat":
            text = (choice.get("message") or {}).get("content")
        else:
            text = choice.get("text")
        if text is not None and not isinstance(text, str):
            return _failed(fields, faults.MALFORMED, "the completion is not text")
        exchange = Exchange(fields)
        exchange.text = self._storable(text or "", exchange)
        _record(fields, "response_text", exchange.text)  # the engine extracts from the whole text
        finish = choice.get("finish_reason")
        fields["response_finish_reasons"] = [finish] if isinstance(finish, str) else []
        if finish == "length":
            fields.update(error_type=faults.TRUNCATED,
                          error=f"cut off at max_tokens ({self.settings.max_tokens}): finish_reason length")
        elif not exchange.text.strip():
            fields.update(error_type=faults.EMPTY_COMPLETION, error="the completion is empty")
        return exchange

    def _usage(self, data: dict) -> dict:
        usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
        tokens_in = _count(usage.get("prompt_tokens", usage.get("input_tokens")))
        tokens_out = _count(usage.get("completion_tokens", usage.get("output_tokens")))
        cost = self.prices.cost(tokens_in, tokens_out, self.settings.model, _string(data.get("model")))
        fields = {"usage_input_tokens": tokens_in, "usage_output_tokens": tokens_out, "cost": cost}
        if cost is not None:
            fields["price_table"] = f"prices-{self.prices.version}"
        return fields

    def _decode(self, content: bytes) -> str:
        # JSON is UTF-8 (RFC 8259); bytes that are not are kept visible as \x.. escapes, not dropped.
        return self._clean(content.decode("utf-8", errors="backslashreplace"))

    def _storable(self, text: str, exchange: Exchange) -> str:
        """Text both databases can store: NUL (PostgreSQL refuses it) and lone surrogates (no UTF-8 for
        them) become U+FFFD, with a note. The body keeps them as the JSON escapes they arrived as."""
        cleaned = UNSTORABLE.sub("\ufffd", text)
        if cleaned != text:
            exchange.notes.append("characters no database can store were replaced by U+FFFD")
        return self._clean(cleaned)

    def _clean(self, text: str) -> str:
        text = UNSTORABLE.sub("\ufffd", text)
        if len(self._key) >= 8 and self._key in text:
            self._counting.redactions += 1
            text = text.replace(self._key, REDACTED)
        return text


def _record(fields: dict, name: str, text: str) -> None:
    """fields[name] = text, cut at MAX_RECORDED characters; a cut is noted in params.truncated."""
    fields[name] = text[:MAX_RECORDED]
    if len(text) > MAX_RECORDED:
        params = fields["params"]
        cut = {**params.get("truncated", {}), name: {"chars": len(text), "kept": MAX_RECORDED}}
        fields["params"] = {**params, "truncated": cut}


def _failed(fields: dict, error_type: str, error: str) -> Exchange:
    return Exchange({**fields, "error_type": error_type, "error": error})


def _count(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _string(value) -> str:
    return value if isinstance(value, str) else ""

