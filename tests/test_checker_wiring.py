"""`--checker` wherever sentences are checked: `ask`, `verify --pairs` and ``Corpus.ask``, with the
model judge (``llm``) against a scripted model on loopback that answers from the request, as a model would.

The scripted model writes (as the brief's writer) two sentences of its own about the congestion
charge next to sentences copied from the evidence, and judges (as the support checker) what the
offline checker left uncertain: the first of its sentences "supported", the second "contradicted",
each with a quote from the cited passage; anything else "unsupported". The brief must follow those verdicts and say that the model decided.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from fakes.llm_server import WIRE_PATHS, FakeLLMServer, Received, Scripted, ok_reply

from citebrief import Corpus
from citebrief.errors import UsageError
from citebrief.llm.prompts import EVIDENCE_OPEN, SYSTEM_PLAN, SYSTEM_REVISE
from citebrief.verify.judge import SYSTEM as JUDGE_SYSTEM
from conftest import run_cli

QUESTION = "Did Kelsworth council approve the congestion charge?"
ANCHOR = "voted 31 to 18"  # the evidence sentence both of the model's sentences cite
BACKED = "On Tuesday councillors voted to introduce a fee for motorists."  # the model judges it supported
INVENTED = "Councillors voted on Tuesday to scrap the fee for cars."  # the model judges it contradicted
CLEAN_ENV = {"CITEBRIEF_LLM": "", "CITEBRIEF_MODEL": "", "CITEBRIEF_BASE_URL": "", "CITEBRIEF_API_KEY": "sk-test"}
_ITEM = re.compile(r"^\[(E\d+)\] (.*?)(?: \(([^()]*)\))?$", re.M)


class Model(FakeLLMServer):
    """Answers each request from its content: plan, write and revise as the writer; judge as the checker.

    ``judge``: "honest" (the verdicts above), "refuse" (prose instead of JSON) or "malformed".
    """

    def __init__(self) -> None:
        super().__init__()
        self.judge = "honest"
        self.asked: list[str] = []  # sentences the judge was asked about

    def reset(self) -> None:
        super().reset()
        self.judge, self.asked = "honest", []

    def _next(self, request: Received) -> Scripted:
        with self._lock:
            self.received.append(request)
        messages = request.body["messages"]
        system = request.body.get("system") or messages[0]["content"]
        user = messages[-1]["content"]
        if system == JUDGE_SYSTEM:
            return ok_reply(WIRE_PATHS[request.path], self._judge(user))
        return ok_reply(WIRE_PATHS[request.path], self._write(system, messages, user))

    def _judge(self, user: str) -> str:
        items = user.split("ITEM ")[1:]
        self.asked += [re.search(r"^SENTENCE: (.*)$", item, re.M).group(1) for item in items]
        if self.judge == "refuse":
            return "I'm sorry, but I can't help with judging these passages."
        if self.judge == "malformed":
            return '{"verdicts": [{"item": 1, "verdict": "probably"}]}'
        verdicts = []
        for n, item in enumerate(items, start=1):
            cited = " ".join(re.findall(r"<passage n=\d+>(.*?)</passage>", item, re.S))
            quote = next((s for s in re.split(r"(?<=[.!?])\s+", cited) if ANCHOR in s), "")
            sentence = item.split("\n", 2)[1].removeprefix("SENTENCE: ").rstrip(".")  # a claim has no stop
            if sentence in (BACKED.rstrip("."), INVENTED.rstrip(".")) and quote:
                verdict = "supported" if sentence == BACKED.rstrip(".") else "contradicted"
                verdicts.append({"item": n, "verdict": verdict, "quote": quote.strip()})
            else:
                verdicts.append({"item": n, "verdict": "unsupported", "quote": ""})
        return json.dumps({"verdicts": verdicts})

    @staticmethod
    def _write(system: str, messages: list[dict], user: str) -> str:
        if system.startswith(SYSTEM_PLAN):  # the offline facets as they are
            return messages[1]["content"].split("(JSON):\n", 1)[1].split("\n\nReply", 1)[0]
        items = [(m.group(1), m.group(2)) for m in _ITEM.finditer(user.split(EVIDENCE_OPEN, 1)[1])]
        if system.startswith(SYSTEM_REVISE):  # copy the evidence sentence each removed one cited
            texts = dict(items)
            return "\n".join(f"{n}. {texts[e]} [{e}]" for n, e in re.findall(r"^(\d+)\. .*\(cited: (E\d+)", user, re.M))
        copied = " ".join(f"{text} [{eid}]" for eid, text in items[:2])
        anchor = next((eid for eid, text in items if ANCHOR in text), None)
        return copied + (f" {BACKED} [{anchor}] {INVENTED} [{anchor}]" if anchor else "")


@pytest.fixture(scope="module")
def server():
    model = Model().start()
    yield model
    model.stop()


@pytest.fixture
def model(server):
    server.reset()
    return server


@pytest.fixture
def db(sample_db, tmp_path) -> Path:
    copy = tmp_path / "corpus.db"
    shutil.copy(sample_db, copy)
    return copy


def ask_json(db: Path, model: Model, *extra: str, config: Path | None = None) -> dict:
    toml = config or _settings(db.parent)
    proc = run_cli("ask", QUESTION, "--llm", "openai", "--model", "m", "--base-url", model.openai_base_url,
                   "--config", str(toml), "-q", "--format", "json", *extra, db=db, env=CLEAN_ENV)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _settings(folder: Path, extra: str = "") -> Path:
    """citebrief.toml with test [llm] settings; ``extra`` continues the [llm] table (or opens others)."""
    path = folder / "citebrief.toml"
    path.write_text("[llm]\nbackoff = 0\nmax_retries = 0\ntimeout = 30\n" + extra)
    return path


def kept_texts(data: dict) -> set[str]:
    return {s["text"] for section in data["sections"] for s in section["sentences"]}


@pytest.mark.model
def test_ask_with_the_llm_checker_keeps_and_drops_as_the_model_judges(db, model):
    data = ask_json(db, model, "--checker", "llm")
    m = data["metrics"]
    assert BACKED in model.asked and INVENTED in model.asked  # the screen left both undecided
    assert BACKED in kept_texts(data)
    assert INVENTED not in kept_texts(data) and INVENTED in {r["text"] for r in data["removed_sentences"]}
    assert (m["checker"], m["checker_model"]) == ("llm", "openai:m")
    assert m["checker_model_asked"] == len(model.asked) == m["checker_model_decided"]
    assert m["checker_model_fallback"] == 0 and m["checker_limits"] == []


@pytest.mark.model
def test_the_offline_checker_alone_drops_what_the_model_kept(db, model):
    data = ask_json(db, model)  # [verify] absent: the default checker, and the model writes only
    assert data["metrics"]["checker"] == "rules" and not model.asked
    assert BACKED not in kept_texts(data) and INVENTED not in kept_texts(data)
    assert "checker_model_asked" not in data["metrics"]


@pytest.mark.model
@pytest.mark.parametrize("judge, why", [("refuse", "malformed or refused"), ("malformed", "malformed or refused")])
def test_refused_or_malformed_verdicts_fall_back_with_a_stated_limit(db, model, judge, why):
    model.judge = judge
    toml = _settings(db.parent, '[verify]\nchecker = "llm"\n')  # the file chooses the checker
    data = ask_json(db, model, config=toml)
    m = data["metrics"]
    assert m["checker"] == "llm" and model.asked
    assert m["checker_model_decided"] == 0 and m["checker_model_fallback"] == m["checker_model_asked"] > 0
    assert all(why in limit and "kept the offline verdict" in limit for limit in m["checker_limits"])
    assert BACKED not in kept_texts(data)  # model prose the checker could not decide is not kept
    proc = run_cli("ask", QUESTION, "--llm", "openai", "--model", "m", "--base-url", model.openai_base_url,
                   "--config", str(toml), "-q", db=db, env=CLEAN_ENV)
    footer = " ".join(proc.stdout.split())
    assert "model judge (openai:m)" in footer and "the offline verdicts were kept" in footer and why in footer


def test_verify_pairs_with_the_llm_checker(tmp_path, model):
    passage = ("Kelsworth City Council voted 31 to 18 on Tuesday night to introduce an 8-pound daily congestion "
               "charge for vehicles entering the city centre on weekdays.")
    pairs = tmp_path / "pairs.jsonl"
    rows = [{"sentence": BACKED, "passages": [passage]}, {"sentence": INVENTED, "passages": [passage]},
            {"sentence": "The recipe needs two cups of flour and a pinch of salt.", "passages": [passage]}]
    pairs.write_text("".join(json.dumps(r) + "\n" for r in rows))
    env = {**CLEAN_ENV, "CITEBRIEF_LLM": "openai", "CITEBRIEF_MODEL": "m", "CITEBRIEF_BASE_URL": model.openai_base_url}
    proc = run_cli("verify", "--pairs", str(pairs), "--checker", "llm", "--config", str(_settings(tmp_path)), env=env)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == len(rows)  # one line per input line, as with an offline checker
    by_sentence = {row["sentence"]: answer for row, answer in zip(rows, out)}
    assert BACKED in model.asked and "flour" not in " ".join(model.asked)  # the screen decided the recipe
    for sentence in model.asked:  # what the model decided carries its verdict and says so
        expected = {BACKED: "supported", INVENTED: "contradicted"}.get(sentence, "unsupported")
        assert by_sentence[sentence]["verdict"] == expected and by_sentence[sentence]["decided_by"] == "model"
    unasked = [answer for row, answer in zip(rows, out) if row["sentence"] not in model.asked]
    assert all("decided_by" not in row for row in unasked)
    assert "model judge (openai:m)" in " ".join(proc.stderr.split())


@pytest.mark.parametrize("command", ["ask", "verify"])
def test_unknown_checker_and_llm_without_a_model_are_usage_errors(tmp_path, command, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no citebrief.toml here
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"sentence": "a b c", "passages": ["a b c"]}) + "\n")
    head = ["ask", "Who opposes it?"] if command == "ask" else ["verify", "--pairs", str(pairs)]
    unknown = run_cli(*head, "--checker", "nli", db=tmp_path / "c.db", env=CLEAN_ENV)
    assert unknown.returncode == 2 and "rules, rules-v1, lexical, cosine, llm" in unknown.stderr
    no_model = run_cli(*head, "--checker", "llm", db=tmp_path / "c.db", env=CLEAN_ENV)
    assert no_model.returncode == 2 and "needs a language model" in no_model.stderr
    assert "[llm]" in no_model.stderr and "Traceback" not in no_model.stderr + unknown.stderr
    assert not (tmp_path / "c.db").exists()  # refused before a corpus is opened
    toml = _settings(tmp_path, '[verify]\nchecker = "llm"\n')
    from_file = run_cli(*head, "--config", str(toml), db=tmp_path / "c.db", env=CLEAN_ENV)
    assert from_file.returncode == 2 and "needs a language model" in from_file.stderr


@pytest.mark.model
def test_corpus_ask_takes_a_checker_name(sample_db):
    corpus = Corpus(str(sample_db))
    try:
        with pytest.raises(UsageError, match="needs a language model"):
            corpus.ask(QUESTION, checker="llm")
        with pytest.raises(UsageError, match="choose one of"):
            corpus.ask(QUESTION, checker="nli")
    finally:
        corpus.close()


@pytest.mark.model
def test_the_offline_writer_with_the_model_judge_from_the_settings(db, model):
    # `--llm extractive` keeps the offline writer; the judge takes its model from [llm] / environment.
    toml = _settings(db.parent, f'backend = "openai"\nmodel = "judge-m"\nbase_url = "{model.openai_base_url}"\n'
                                '[verify]\nchecker = "llm"\n')
    proc = run_cli("ask", QUESTION, "--llm", "extractive", "--config", str(toml), "-q", "--format", "json",
                   db=db, env=CLEAN_ENV)
    assert proc.returncode == 0, proc.stderr
    m = json.loads(proc.stdout)["metrics"]
    assert (m["checker"], m["checker_model"]) == ("llm", "openai:judge-m") and "llm_plan" not in m
    assert m["checker_model_asked"] == len(model.asked) and len(model.received) == -(-len(model.asked) // 6)
