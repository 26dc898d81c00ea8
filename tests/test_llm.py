"""LLM backends against a scripted server on 127.0.0.1 (both wire formats), config and text helpers."""

from __future__ import annotations

import json
import math
import socket

import pytest
from fakes.llm_fixtures import fake, server, wire  # noqa: F401  (fixtures)
from fakes.llm_server import FakeLLMServer, Scripted, error_reply, ok_reply

from citebrief.errors import ConfigError, GeneratorError
from citebrief.llm import (
    GENERATORS,
    BudgetExceededError,
    Generator,
    HostedGenerator,
    LLMConfig,
    MalformedOutputError,
    Message,
    chosen_backend,
    make_generator,
    parse_evidence_sentences,
    parse_json_loose,
    resolve_config,
    strip_reasoning,
)
from citebrief.llm.anthropic_messages import schema_instruction

KEY = "sk-test-DO-NOT-LEAK-4f9a2c"
KEY_VARS = {"openai": "CITEBRIEF_API_KEY/OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}
PLAN_SCHEMA = {"type": "object", "properties": {"sections": {"type": "array"}}, "required": ["sections"]}
CONVERSATION = (
    Message("system", "Write only from the numbered evidence. Cite ids like [E1]."),
    Message("user", "<evidence>\n[E1] Wheat prices rose 4% in May.\n</evidence>\nSummarise."),
)




def make(fake: FakeLLMServer, wire: str, **overrides) -> tuple[HostedGenerator, list[float]]:
    """A generator for ``wire`` pointed at the fake, recording retry waits instead of sleeping."""
    settings = {"backend": wire, "model": "fake-model", "base_url": fake.base_url(wire), "api_key": KEY,
                "timeout": 5, "max_retries": 3, "backoff": 0.5, "max_wait": 10, **overrides}
    waits: list[float] = []
    return HostedGenerator(LLMConfig(**settings), sleep=waits.append), waits


def assert_no_key(exc: pytest.ExceptionInfo) -> None:
    assert KEY not in str(exc.value) and KEY not in repr(exc.value)


# -- wire formats --------------------------------------------------------------------------------

def test_good_reply_sends_the_documented_request(fake, wire):
    fake.script(ok_reply(wire, "Wheat prices rose 4% in May [E1]."))
    llm, _ = make(fake, wire)
    assert isinstance(llm, Generator)
    assert llm.generate(CONVERSATION, max_tokens=300) == "Wheat prices rose 4% in May [E1]."
    (req,) = fake.received
    assert req.body["model"] == "fake-model" and req.body["max_tokens"] == 300
    if wire == "openai":
        assert req.path == "/v1/chat/completions"
        assert req.headers["authorization"] == f"Bearer {KEY}"
        assert [m["role"] for m in req.body["messages"]] == ["system", "user"]
    else:
        assert req.path == "/v1/messages"
        assert req.headers["x-api-key"] == KEY and req.headers["anthropic-version"] == "2023-06-01"
        assert req.body["system"] == CONVERSATION[0].content
        assert [m["role"] for m in req.body["messages"]] == ["user"]
    # The evidence reaches the model delimited and numbered, exactly as the writer built it.
    assert req.body["messages"][-1]["content"] == CONVERSATION[1].content
    assert llm.tokens_used == 20 and llm.requests == 1


def test_schema_is_sent_as_json_mode_or_instruction(fake, wire):
    fake.script(ok_reply(wire, '```json\n{"sections": [{"title": "Prices", "ids": ["E1"],},]}\n```'))
    llm, _ = make(fake, wire)
    plan = parse_json_loose(llm.generate(CONVERSATION, schema=PLAN_SCHEMA))
    assert plan == {"sections": [{"title": "Prices", "ids": ["E1"]}]}
    body = fake.received[0].body
    if wire == "openai":
        assert body["response_format"] == {"type": "json_schema", "json_schema": {
            "name": "response", "schema": PLAN_SCHEMA, "strict": False}}
    else:
        assert "response_format" not in body
        assert body["system"].endswith(schema_instruction(PLAN_SCHEMA))


def test_reasoning_block_is_removed(fake, wire):
    fake.script(ok_reply(wire, "<think>\nThe user wants {a plan}. [E1] says 4%.\n</think>\n\nPrices rose [E1]."))
    llm, _ = make(fake, wire)
    assert llm.generate(CONVERSATION) == "Prices rose [E1]."


def test_reply_cut_off_while_thinking_is_a_clear_error(fake, wire):
    reply = ok_reply(wire, "<think>Let me weigh E1 against")
    if wire == "openai":
        reply.body["choices"][0]["finish_reason"] = "length"
    else:
        reply.body["stop_reason"] = "max_tokens"
    fake.script(reply)
    llm, _ = make(fake, wire)
    with pytest.raises(GeneratorError, match="used all 50 reply tokens.*raise max_tokens"):
        llm.generate(CONVERSATION, max_tokens=50)


# -- retries -------------------------------------------------------------------------------------

def test_429_with_retry_after_is_retried(fake, wire):
    fake.script(error_reply(wire, 429, "rate limited", headers={"retry-after": "2"}), ok_reply(wire, "Fine [E1]."))
    llm, waits = make(fake, wire)
    assert llm.generate(CONVERSATION) == "Fine [E1]."
    assert len(fake.received) == 2 and waits == [2.0]


def test_retry_after_is_capped(fake, wire):
    fake.script(error_reply(wire, 429, "come back tomorrow", headers={"retry-after": "86400"}), ok_reply(wire, "Ok."))
    llm, waits = make(fake, wire, max_wait=10)
    llm.generate(CONVERSATION)
    assert waits == [10.0]


def test_overloaded_then_success(fake, wire):
    status = 529 if wire == "anthropic" else 503
    fake.script(error_reply(wire, status, "overloaded"), ok_reply(wire, "Recovered."))
    llm, waits = make(fake, wire)
    assert llm.generate(CONVERSATION) == "Recovered."
    assert waits == [0.5]


def test_500_storm_gives_up_after_n_tries(fake, wire):
    fake.script(*[error_reply(wire, 500, "internal failure") for _ in range(4)])
    llm, waits = make(fake, wire, max_retries=3, backoff=0.5)
    with pytest.raises(GeneratorError, match=r"server failed 4 times: HTTP 500: internal failure") as exc:
        llm.generate(CONVERSATION)
    assert len(fake.received) == 4
    assert waits == [0.5, 1.0, 2.0]  # backoff · 2^(n-1)
    assert llm.tokens_used == 0  # the reservation is released when a call fails
    assert_no_key(exc)


# -- errors that say what to fix -----------------------------------------------------------------

def test_rejected_key_names_the_variable_and_never_echoes_the_key(fake, wire):
    fake.script(error_reply(wire, 401, f"Incorrect API key provided: {KEY}"))
    llm, waits = make(fake, wire)
    with pytest.raises(GeneratorError, match="the server rejected the API key; check ") as exc:
        llm.generate(CONVERSATION)
    assert KEY_VARS[wire] in str(exc.value)
    assert "***" in str(exc.value)  # the server echoed the key; the message masks it
    assert_no_key(exc)
    assert waits == [] and len(fake.received) == 1  # a bad key is not retried


def test_missing_key_says_which_variable_to_set(fake, wire):
    fake.script(error_reply(wire, 401, "missing credentials"))
    llm, _ = make(fake, wire, api_key=None)
    with pytest.raises(GeneratorError, match="requires an API key"):
        llm.generate(CONVERSATION)
    assert "authorization" not in fake.received[0].headers and "x-api-key" not in fake.received[0].headers


def test_connection_refused_says_what_to_check(wire):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed when the block ends: nothing listens there
    base = f"http://127.0.0.1:{port}" + ("/v1" if wire == "openai" else "")
    llm = HostedGenerator(LLMConfig(backend=wire, model="m", base_url=base, api_key=KEY), sleep=lambda s: None)
    with pytest.raises(GeneratorError, match=r"cannot reach .*is the server running\? for Ollama: ollama serve") as exc:
        llm.generate(CONVERSATION)
    assert base in str(exc.value)
    assert_no_key(exc)


def test_unknown_model(fake, wire):
    message = 'model "fake-model" not found, try pulling it first' if wire == "openai" else "model: fake-model"
    fake.script(error_reply(wire, 404, message))
    llm, _ = make(fake, wire)
    with pytest.raises(GeneratorError, match="model fake-model not found on the server; list models with") as exc:
        llm.generate(CONVERSATION)
    assert ("ollama list" if wire == "openai" else "/v1/models") in str(exc.value)


def test_base_url_without_v1_is_explained(fake):
    llm, _ = make(fake, "openai", base_url=fake.url)  # forgot the /v1
    with pytest.raises(GeneratorError, match="HTTP 404 .*check base_url.*/v1"):
        llm.generate(CONVERSATION)


def test_slow_server_times_out_with_advice(fake, wire):
    fake.script(Scripted(200, ok_reply(wire, "late").body, delay=1.0))
    llm, _ = make(fake, wire, timeout=0.2)
    with pytest.raises(GeneratorError, match=r"no reply from .* within 0.2 s.*raise timeout"):
        llm.generate(CONVERSATION)


def test_reply_of_another_shape_is_reported(fake, wire):
    fake.script(Scripted(200, {"unexpected": True}))
    llm, _ = make(fake, wire)
    with pytest.raises(GeneratorError, match=f"unexpected reply .*{wire}-compatible"):
        llm.generate(CONVERSATION)


# -- cache and budget ----------------------------------------------------------------------------

def test_second_identical_call_is_served_from_cache(fake, wire, tmp_path):
    fake.script(ok_reply(wire, "<think>hmm</think>Cached answer [E1]."))
    llm, _ = make(fake, wire, cache_dir=tmp_path)
    first = llm.generate(CONVERSATION)
    assert llm.generate(CONVERSATION) == first == "Cached answer [E1]."
    assert len(fake.received) == 1 and llm.cache_hits == 1
    assert llm.tokens_used == 40  # cached calls count, so a re-run follows the first run's path
    # The key is not part of the cache key: another key (or none) reuses the entry.
    other, _ = make(fake, wire, cache_dir=tmp_path, api_key="sk-another")
    assert other.generate(CONVERSATION) == first and len(fake.received) == 1
    # A different request is a different entry.
    fake.script(ok_reply(wire, "Shorter."))
    assert llm.generate(CONVERSATION, max_tokens=64) == "Shorter." and len(fake.received) == 2
    files = list(tmp_path.rglob("*.json"))
    assert len(files) == 2
    for path in files:
        entry = json.loads(path.read_text())
        assert KEY not in path.read_text() and "api_key" not in entry["request"]
        assert entry["request"]["model"] == "fake-model"


def test_token_budget_exceeded(fake, wire):
    fake.script(ok_reply(wire, "First [E1].", usage=(60, 20)), ok_reply(wire, "never sent"))
    llm, _ = make(fake, wire, token_budget=100)
    llm.generate(CONVERSATION, max_tokens=10)
    assert llm.tokens_used == 80
    expected = "token budget exceeded: .*used 80 of 100 .*raise token_budget"
    with pytest.raises(BudgetExceededError, match=expected) as exc:
        llm.generate(CONVERSATION, max_tokens=10)
    assert isinstance(exc.value, GeneratorError)
    assert len(fake.received) == 1  # refused before sending


def test_tokens_are_estimated_when_the_server_reports_no_usage(fake, wire):
    fake.script(ok_reply(wire, "x" * 40, usage=None))
    llm, _ = make(fake, wire)
    llm.generate(CONVERSATION)
    prompt_chars = sum(len(m.content) for m in CONVERSATION)
    assert llm.tokens_used == math.ceil((prompt_chars + 40) / 4)


# -- configuration -------------------------------------------------------------------------------

def write_toml(tmp_path, text: str):
    path = tmp_path / "citebrief.toml"
    path.write_text(text)
    return path


def test_precedence_cli_over_env_over_toml_over_defaults(tmp_path):
    toml = write_toml(tmp_path, '[llm]\nbackend = "openai"\nmodel = "toml-model"\n'
                                'base_url = "http://toml:1/v1"\ntimeout = 30\n')
    env = {"CITEBRIEF_MODEL": "env-model", "CITEBRIEF_BASE_URL": "http://env:2/v1"}
    cfg = resolve_config({"model": "cli-model", "timeout": None}, env, toml)
    assert (cfg.model, cfg.base_url, cfg.timeout) == ("cli-model", "http://env:2/v1", 30.0)
    assert resolve_config({}, {}, toml).model == "toml-model"
    cfg = resolve_config({"backend": "openai", "model": "m"}, {}, None)
    assert cfg.base_url == "https://api.openai.com/v1" and cfg.max_retries == 3 and cfg.cache_dir is None


def test_api_key_sources_and_secrecy(tmp_path):
    env = {"OPENAI_API_KEY": "sk-openai", "ANTHROPIC_API_KEY": KEY}
    cfg = resolve_config({"backend": "openai", "model": "m"}, env, None)
    assert cfg.api_key.get_secret_value() == "sk-openai"
    both = {**env, "CITEBRIEF_API_KEY": "sk-citebrief"}
    assert resolve_config({"backend": "openai", "model": "m"}, both, None).api_key.get_secret_value() == "sk-citebrief"
    cfg = resolve_config({"model": "m"}, {**env, "CITEBRIEF_LLM": "anthropic"}, None)
    assert cfg.api_key.get_secret_value() == KEY and cfg.base_url == "https://api.anthropic.com"
    assert KEY not in repr(cfg) and KEY not in str(cfg) and KEY not in cfg.model_dump_json()
    assert KEY not in repr(make_generator(cfg))
    with pytest.raises(ConfigError, match="remove api_key"):
        resolve_config({}, {}, write_toml(tmp_path, '[llm]\napi_key = "sk-x"\n'))


def test_config_errors_name_the_setting_and_its_source(tmp_path):
    with pytest.raises(ConfigError, match="unknown LLM backend 'gpt'.*CITEBRIEF_LLM.*anthropic, openai"):
        resolve_config({"model": "m"}, {"CITEBRIEF_LLM": "gpt"}, None)
    with pytest.raises(ConfigError, match="no LLM backend chosen.*anthropic, openai"):
        resolve_config({"model": "m"}, {}, None)
    with pytest.raises(ConfigError, match="no model set"):
        resolve_config({"backend": "openai"}, {}, None)
    toml = write_toml(tmp_path, '[llm]\nbackend = "openai"\nmodel = "m"\ntimeout = "soon"\n')
    with pytest.raises(ConfigError, match=r"timeout: .*citebrief.toml \[llm\]"):
        resolve_config({}, {}, toml)
    with pytest.raises(ConfigError, match="unknown key.*temprature"):
        resolve_config({}, {}, write_toml(tmp_path, "[llm]\ntemprature = 0\n"))
    with pytest.raises(ConfigError, match="does not exist"):
        resolve_config({}, {}, tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="base_url must start with http"):
        resolve_config({"backend": "openai", "model": "m", "base_url": "localhost:11434"}, {}, None)
    with pytest.raises(ConfigError, match="unknown LLM setting"):
        resolve_config({"modle": "m"}, {}, None)


def test_chosen_backend_lets_the_caller_route_extractive():
    assert chosen_backend({}, {"CITEBRIEF_LLM": "extractive"}, None) == "extractive"
    assert chosen_backend({}, {}, None) is None


# -- text helpers --------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, answer", [
    ("<think>plan</think>Answer.", "Answer."),
    ("<THINKING>\nplan\n</THINKING>\n\nAnswer.", "Answer."),
    ("<reasoning>a</reasoning> A. <think>b</think> B.", "A.  B."),
    ("<think>cut off while thinking", ""),
    ("reasoning whose opening tag was in the prompt</think>\n\nAnswer.", "Answer."),
    ("No reasoning at all.", "No reasoning at all."),
])
def test_strip_reasoning(raw, answer):
    assert strip_reasoning(raw) == answer


def test_parse_evidence_sentences():
    draft = ("Wheat rose 4% in May [E3, E7]. Rice was flat.(E4) The U.S. share fell [e012]. "
             "Analysts disagree.\n\n## Outlook\n- Prices may ease [E5][E6].\n- Nobody knows\n")
    assert parse_evidence_sentences(draft) == [
        ("Wheat rose 4% in May.", ["E3", "E7"]),
        ("Rice was flat.", ["E4"]),
        ("The U.S. share fell.", ["E12"]),
        ("Analysts disagree.", []),
        ("Outlook", []),
        ("Prices may ease.", ["E5", "E6"]),
        ("Nobody knows", []),
    ]


def test_parse_evidence_sentences_marker_after_full_stop_and_wrapped_lines():
    draft = "<think>draft [E9]</think>Yields fell. [E2] Costs rose\nsharply [E1; E1].\n\n[E8]"
    assert parse_evidence_sentences(draft) == [("Yields fell.", ["E2"]), ("Costs rose sharply.", ["E1", "E8"])]


@pytest.mark.parametrize("reply, value", [
    ('{"a": 1}', {"a": 1}),
    ('Here is the plan:\n```json\n{"sections": ["x",],}\n```\nHope it helps!', {"sections": ["x"]}),
    ("Plan (see [1]): {'title': 'It\\'s \"big\"', 'ok': True, 'skip': None}",
     {"title": 'It\'s "big"', "ok": True, "skip": None}),
    ('<think>maybe {"a": 0}?</think>[{"id": "E1"}, {"id": "E2"}]', [{"id": "E1"}, {"id": "E2"}]),
])
def test_parse_json_loose_repairs_cheap_mistakes(reply, value):
    assert parse_json_loose(reply) == value


@pytest.mark.parametrize("reply, message", [
    ("I could not make a plan.", "no JSON object or array"),
    ('{"sections": [1, 2}', "does not parse, even after repair: .* line 1 column"),
])
def test_parse_json_loose_fails_clearly(reply, message):
    with pytest.raises(MalformedOutputError, match=message):
        parse_json_loose(reply)


def test_message_rejects_unknown_role():
    with pytest.raises(ValueError, match="role must be one of system, user, assistant"):
        Message("User", "hi")  # type: ignore[arg-type]


def test_openai_itself_gets_max_completion_tokens():
    wire = GENERATORS["openai"]
    official = wire.body(CONVERSATION, model="m", schema=None, max_tokens=9, base_url="https://api.openai.com/v1")
    local = wire.body(CONVERSATION, model="m", schema=None, max_tokens=9, base_url="http://localhost:11434/v1")
    assert official["max_completion_tokens"] == 9 and "max_tokens" not in official
    assert local["max_tokens"] == 9 and "max_completion_tokens" not in local
