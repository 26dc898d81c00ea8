"""Compute the reference all-MiniLM-L6-v2 embeddings the torch-free runtime is tested against.

Needs the optional torch extra (``pip install -e '.[torch]'``): the vectors come from
sentence-transformers itself, as citebrief computed them before its own runtime existed, so
``tests/test_embed.py`` can check that the ONNX Runtime forward pass gives the same vectors
(cosine ≥ 0.9999). Run once; re-running rewrites the fixture with the same texts:

    .venv/bin/python scripts/make_minilm_reference.py [--out tests/fixtures/minilm_reference.npz]

Texts (deterministic, from the repository only): sentences of examples/corpus of every length,
whole documents far longer than the model's 256-token limit (truncation), non-ASCII text in
several scripts, and very short or empty strings.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "tests" / "fixtures" / "minilm_reference.npz"

NON_ASCII = [
    "Café au lait in Zürich costs 5,50 €.",
    "Ο πρωθυπουργός της Ελλάδας μίλησε στη Βουλή.",
    "Москва заявила, что не признаёт решение саммита.",
    "東京は日本の首都です。",
    "北约峰会在维尔纽斯举行。",
    "서울에서 회의가 열렸다.",
    "قالت الحكومة إن المفاوضات ستستمر.",
    "הממשלה הודיעה על תקציב חדש.",
    "Die Bundesregierung äußerte sich zurückhaltend über den Beitritt.",
    "Le président a déclaré : « Nous sommes prêts ».",
    "naïve façade coöperate résumé",
    "Emoji in a headline 🚀🔥 still counts as text 😀",
    "Smart “quotes”, an em dash — and an ellipsis…",
    "Ünïcödé wïth cömbïnïng mârks: e\u0301 a\u0308 o\u0302",
    "Zero\u200bwidth\u200bspaces and non\u00a0breaking\u00a0spaces",
    "Türkiye ve Macaristan İsveç'in üyeliğini onayladı.",
    "Polska i państwa bałtyckie naciskały na zaproszenie.",
    "Україна прагне вступити до НАТО.",
    "शिखर सम्मेलन में निर्णय लिया गया।",
    "Tiếng Việt có dấu thanh điệu.",
]
SHORT = ["", " ", "a", "?", "NATO", "OK.", "1", "—", "Ukraine", "Why?", "  padded on both sides  ",
         "line\nbreaks\tand\ttabs"]


def corpus_texts(folder: Path) -> tuple[list[str], list[str]]:
    """(sentences of every length, whole long documents) from the sample corpus, in file order."""
    sentences: list[str] = []
    documents: list[str] = []
    for path in sorted(folder.iterdir()):
        text = path.read_text(encoding="utf-8", errors="replace")
        text = re.sub(r"<[^>]+>", " ", text)  # the .html samples: tags are noise here
        text = re.sub(r"[ \t]+", " ", text)
        if len(text.split()) > 300:
            documents.append(" ".join(text.split()[:600]))
        for para in re.split(r"\n\s*\n", text):
            para = para.strip()
            if para:
                sentences.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", para) if s.strip())
    return sentences, documents


def reference_texts() -> list[str]:
    """A few hundred texts of varied length: every 3rd corpus sentence, long documents, the lists."""
    sentences, documents = corpus_texts(ROOT / "examples" / "corpus")
    picked = sentences[::3][:220]
    paragraphs = [" ".join(sentences[i:i + 6]) for i in range(0, min(len(sentences), 240), 12)]
    return picked + paragraphs + documents[:24] + NON_ASCII + SHORT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        import sentence_transformers
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError:
        print("needs the torch extra: .venv/bin/pip install -e '.[torch]'", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT / "src"))
    from citebrief.embed import minilm_dir, verify_weights

    path = minilm_dir()
    verify_weights(path)
    texts = reference_texts()
    model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    vectors = model.encode(texts, batch_size=64, convert_to_numpy=True, normalize_embeddings=True,
                           show_progress_bar=False).astype(np.float32)
    tokens = [len(model.tokenizer(t, truncation=False)["input_ids"]) for t in texts]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, texts=np.array(texts, dtype=str), vectors=vectors,
                        made_with=np.array(f"sentence-transformers {sentence_transformers.__version__}, "
                                           f"torch {torch.__version__}"))
    print(f"{args.out}: {len(texts)} texts, {sum(t > model.max_seq_length for t in tokens)} longer than "
          f"{model.max_seq_length} tokens (longest {max(tokens)}), {len(NON_ASCII)} non-ASCII, "
          f"{len(SHORT)} short")
    return 0


if __name__ == "__main__":
    sys.exit(main())
