"""Plugins through entry points: a real distribution on sys.path registers one backend of each kind.

The distribution is a module plus a ``.dist-info`` folder (METADATA, entry_points.txt) in a
folder put on PYTHONPATH — what `pip install` leaves in site-packages — and the real CLI runs
over it in a subprocess, so ``importlib.metadata`` finds it exactly as it finds an installed one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_cli

PLUGIN = '''
import hashlib
import numpy as np

from citebrief.llm.openai_chat import OpenAIChat
from citebrief.research.providers import searxng
from citebrief.research.providers.host import ProviderSpec
from citebrief.store.sqlite import SQLiteStore
from citebrief.verify.verdict import Label, Verdict


class TinyEmbedder:
    """Hashes words into 16 buckets: deterministic, meaningless, enough to build a corpus."""

    name = "tiny"
    dim = 16

    def embed(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, hashlib.sha1(word.encode()).digest()[0] % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


class WordOverlapChecker:
    """Supported when every word of the sentence occurs in a passage."""

    name = "overlap"

    def __init__(self, embedder):
        self.embedder = embedder

    def check(self, sentence, passages):
        words = set(sentence.lower().strip(".").split())
        for i, passage in enumerate(passages):
            if words <= set(passage.lower().strip(".").split()):
                return Verdict(Label.SUPPORTED, 1.0, (i, 0, len(passage)))
        return Verdict(Label.UNSUPPORTED, 0.0, None)

    def check_many(self, pairs):
        return [self.check(s, p) for s, p in pairs]


def open_demo(location):
    return SQLiteStore(location.split("://", 1)[1])


DEMO_WIRE = OpenAIChat()
DEMO_WIRE.name = "demo-llm"
DEMO_SEARCH = ProviderSpec(name="demo-search", summary="a demo search provider (plugin)",
                           backend=searxng.SPEC.backend, url_env="CITEBRIEF_DEMO_SEARCH_URL")
'''

ENTRY_POINTS = '''
[citebrief.embedders]
tiny = citebrief_demo_plugin:TinyEmbedder

[citebrief.checkers]
overlap = citebrief_demo_plugin:WordOverlapChecker
broken = citebrief_demo_missing:Checker

[citebrief.writers]
demo-llm = citebrief_demo_plugin:DEMO_WIRE
openai = citebrief_demo_plugin:DEMO_WIRE

[citebrief.stores]
demo = citebrief_demo_plugin:open_demo

[citebrief.search_providers]
demo-search = citebrief_demo_plugin:DEMO_SEARCH
'''


@pytest.fixture
def site(tmp_path: Path) -> dict:
    folder = tmp_path / "site"
    info = folder / "citebrief_demo_plugin-0.1.dist-info"
    info.mkdir(parents=True)
    (folder / "citebrief_demo_plugin.py").write_text(PLUGIN)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: citebrief-demo-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(ENTRY_POINTS)
    return {"PYTHONPATH": os.pathsep.join([str(folder), os.environ.get("PYTHONPATH", "")])}


def test_plugins_command_lists_every_kind(site):
    listed = json.loads(run_cli("plugins", "--json", env=site, check=True).stdout)
    assert {(p["kind"], p["name"]) for p in listed} == {
        ("embedders", "tiny"), ("checkers", "overlap"), ("checkers", "broken"), ("writers", "demo-llm"),
        ("writers", "openai"), ("stores", "demo"), ("search_providers", "demo-search")}
    assert all(p["package"] == "citebrief-demo-plugin" and p["version"] == "0.1" for p in listed)
    text = run_cli("plugins", env=site, check=True).stdout
    assert "tiny" in text and "citebrief_demo_plugin:TinyEmbedder" in text
    empty = run_cli("plugins", check=True).stdout
    assert "No plugins installed" in empty and "citebrief.embedders" in empty


def test_plugin_embedder_and_store_build_a_searchable_corpus(site, tmp_path):
    doc = tmp_path / "docs" / "a.txt"
    doc.parent.mkdir()
    doc.write_text("Title: Ferry\n\nThe harbour authority approved a new ferry timetable on Tuesday.\n")
    target = tmp_path / "plugin-store.db"
    location = f"demo://{target}"
    run_cli("add", str(doc), "--embedder", "tiny", db=location, env=site, check=True)
    assert target.is_file()  # the plugin's store wrote where its URL said
    hits = json.loads(run_cli("search", "ferry timetable", "--json", db=location, env=site, check=True).stdout)
    assert hits and "ferry" in json.dumps(hits).lower()
    unknown = run_cli("add", str(doc), "--embedder", "nope", db=tmp_path / "x.db", env=site)
    assert unknown.returncode != 0 and "tiny" in unknown.stderr and "minilm" in unknown.stderr


def test_plugin_checker_decides_verify_and_a_broken_plugin_is_named(site, tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"sentence": "the ferry left", "passages": ["Yesterday the ferry left early."]})
                     + "\n" + json.dumps({"sentence": "the ferry sank", "passages": ["The ferry left."]}) + "\n")
    out = run_cli("verify", "--pairs", str(pairs), "--checker", "overlap", "--embedder", "hashing", env=site)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["verdict"] for r in rows] == ["supported", "unsupported"]
    broken = run_cli("verify", "--pairs", str(pairs), "--checker", "broken", "--embedder", "hashing", env=site)
    assert broken.returncode == 1 and "Traceback" not in broken.stderr
    assert "'broken'" in broken.stderr and "citebrief-demo-plugin" in broken.stderr
    assert "uninstall" in broken.stderr
    unknown = run_cli("verify", "--pairs", str(pairs), "--checker", "nope", "--embedder", "hashing", env=site)
    assert unknown.returncode == 2 and "overlap" in unknown.stderr and "rules" in unknown.stderr


def test_writer_and_search_provider_plugins_join_their_registries_without_replacing_built_ins(site):
    code = ("from citebrief.llm import GENERATORS; from citebrief.llm.openai_chat import OpenAIChat;"
            "from citebrief.research.providers import describe_providers, provider_choices, make_searcher;"
            "import json; print(json.dumps({'writers': sorted(GENERATORS), "
            "'openai_builtin': type(GENERATORS['openai']) is OpenAIChat and GENERATORS['openai'].name == 'openai', "
            "'providers': provider_choices(), 'described': describe_providers(), "
            "'searcher': type(make_searcher('demo-search', environ={'CITEBRIEF_DEMO_SEARCH_URL': "
            "'http://127.0.0.1:9'})).__name__}))")
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **site})
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert "demo-llm" in data["writers"] and data["openai_builtin"]
    assert "demo-search" in data["providers"] and "a demo search provider (plugin)" in data["described"]
    assert data["searcher"] == "HostedSearcher"
    help_text = run_cli("ask", "--help", env=site, check=True).stdout
    assert "demo-llm" in help_text
