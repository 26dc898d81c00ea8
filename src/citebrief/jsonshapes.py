"""JSON shapes of documents and search hits, shared by the CLI and the web API (contracts: extend,
never rename)."""

from __future__ import annotations

from .models import DocMeta, Hit


def doc_json(meta: DocMeta) -> dict:
    """The JSON shape of a document in `sources` (a contract: extend, do not rename)."""
    return {"doc_id": meta.doc_id, "path": None if meta.source.startswith(("http://", "https://")) else meta.source,
            "url": meta.url, "title": meta.title, "outlet": meta.outlet, "author": meta.author,
            "published": meta.published, "duplicate_of": meta.duplicate_of, "source": meta.source}


def hit_json(hit: Hit) -> dict:
    """The JSON shape of a search hit (a contract: extend, do not rename)."""
    p = hit.passage
    return {"passage_id": p.passage_id, "doc_id": p.doc_id, "text": p.text, "score": round(hit.score, 6),
            "start": p.start, "end": p.end, "title": hit.doc.title, "outlet": hit.doc.outlet,
            "published": hit.doc.published, "url": hit.doc.url, "path": hit.doc.source,
            "retrievers": {name: rank for name, rank in hit.ranks}}
