"""The rm command: delete a source (document, passages, vectors) from the corpus."""

from __future__ import annotations

import typer
from rich.console import Console

from ..errors import UsageError
from .app import app, open_corpus
from .output import plain

err = Console(stderr=True, highlight=False)


@app.command()
def rm(doc_id: str = typer.Argument(..., help="Document id (a unique prefix is enough).")) -> int:
    """Delete one document with its passages and vectors; searches and new briefs no longer cite it.

    Briefs already written keep their copy of what they quoted.
    """
    corpus = open_corpus()
    doc = corpus.show(doc_id)
    if doc is None:
        raise UsageError(f"No document {doc_id!r} in the corpus — list ids with `citebrief sources`")
    delete = getattr(corpus.store, "delete_document", None)
    if delete is None:
        raise UsageError(f"{corpus.location}: this store cannot delete a source (SQLite and PostgreSQL "
                         "corpora can); `citebrief migrate` it to one of them to delete sources there")
    delete(doc.doc_id)
    err.print(f"deleted {doc.doc_id} ({plain(doc.title or doc.source, one_line=True)})", markup=False)
    return 0
