"""Commands import only what they need: reading the corpus never loads a model or the brief stack."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer

from citebrief.cli import COMMAND_MODULES, app, load_commands

# Modules that cost start-up time and that listing, showing or BM25-searching a corpus never uses.
HEAVY = ("onnxruntime", "tokenizers", "torch", "sentence_transformers", "spacy", "trafilatura",
         "citebrief.minilm", "citebrief.ingest", "citebrief.pipeline", "citebrief.llm", "citebrief.brief")


def test_every_command_has_its_module_in_the_lazy_map():
    load_commands()  # no command named: every module registers its commands
    registered = set(typer.main.get_command(app).commands)
    assert registered == set(COMMAND_MODULES), "update COMMAND_MODULES in citebrief/cli/__init__.py"


@pytest.mark.process
def test_the_command_word_is_found_after_the_global_option():
    # `--db PATH` is skipped; an unknown word loads everything (so typer can list the commands).
    code = ("import sys; from citebrief.cli import load_commands; load_commands({argv!r}); "
            "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('citebrief.cli.') "
            "and m.endswith('_cmds')))")
    def loaded(argv: list[str]) -> list[str]:
        out = subprocess.run([sys.executable, "-c", code.format(argv=argv)], capture_output=True, text=True,
                             timeout=120, check=True)
        return json.loads(out.stdout.replace("'", '"'))
    assert loaded(["--db", "x.db", "migrate", "a", "b"]) == ["store_cmds"]
    assert "brief_cmds" in loaded(["--db", "sources"])  # "sources" is --db's value here, no command


@pytest.mark.process
@pytest.mark.model
@pytest.mark.parametrize("args", [["sources"], ["sources", "--json"], ["show", "DOC"],
                                  ["search", "manager sacked", "--mode", "bm25", "-k", "3"]])
def test_reading_commands_import_no_model_and_no_brief_code(sample_db, args):
    from citebrief import Corpus

    corpus = Corpus(str(sample_db))
    doc_id = corpus.sources()[0].doc_id
    corpus.close()
    args = [doc_id if a == "DOC" else a for a in args]
    code = ("import json, sys; from citebrief.cli import main; "
            f"status = main(['--db', {str(sample_db)!r}, *{args!r}]); "
            f"print(json.dumps([status, [m for m in {HEAVY!r} if m in sys.modules]]), file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    status, heavy = json.loads(out.stderr.strip().splitlines()[-1])
    assert status == 0, out.stderr
    assert out.stdout.strip()
    assert heavy == []
