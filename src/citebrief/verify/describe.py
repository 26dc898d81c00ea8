"""Say which support checker ran and what it is measured to do, for footers, JSON and ``check``.

A reader of a brief or of a ``check`` table should know what "verified" meant: which checker
ran, whether it used a model, and how often its flags were right on text nobody tuned it to. The
figures are those `bench/bench_support.py` measured on the part of the dev halves that no constant
was calibrated on (BENCHMARKS.md, "Support checking"); docs/verify.md explains them.
"""

from __future__ import annotations

from .verdict import SupportChecker

FIGURES_DOC = "docs/verify.md"

# Measured by `bench/bench_support.py ../shared/eval` on the report split (odd SHA-256) of the dev
# halves; the same run is in BENCHMARKS.md. Keep in step with that table. The default checker said
# "contradicted" on none of the 533 ExpertQA report pairs, so its precision there is not defined:
# the share of pairs it flagged (0) is given, and the precision where it did flag (Climate-FEVER).
MEASURED: dict[str, dict[str, float]] = {
    "rules": {"ExpertQA_macro_F1": 0.633, "ExpertQA_contradicted_share": 0.0,
              "ExpertQA_unsupported_precision": 0.567, "ExpertQA_uncertain_share": 0.253,
              "Climate_FEVER_macro_F1": 0.437, "Climate_FEVER_contradicted_precision": 0.562},
    "rules-v1": {"ExpertQA_macro_F1": 0.633, "ExpertQA_contradicted_precision": 0.283,
                 "ExpertQA_unsupported_precision": 0.559, "Climate_FEVER_macro_F1": 0.462},
}


def describe(checker: SupportChecker) -> dict[str, object]:
    """``{"checker", "checker_description", "checker_figures", "checker_figures_doc"}`` for ``checker``."""
    name = getattr(checker, "name", type(checker).__name__)
    info: dict[str, object] = {
        "checker": name,
        "checker_description": getattr(checker, "description", name),
        "checker_figures": dict(MEASURED.get(name, {})),
        "checker_figures_doc": FIGURES_DOC,
    }
    if hasattr(checker, "limits"):  # the model judge: what it was asked, and what it could not do
        asked, decided = getattr(checker, "asked", 0), getattr(checker, "decided", 0)
        info["checker_model"] = getattr(checker, "model", "")
        info["checker_model_asked"] = asked
        info["checker_model_decided"] = decided
        info["checker_model_fallback"] = asked - decided  # model failed or was not believed: offline verdict kept
        info["checker_limits"] = list(getattr(checker, "limits"))
    return info


def figures_line(info: dict[str, object]) -> str:
    """One sentence naming the checker and its measured figures ("" when no checker is named)."""
    name = info.get("checker")
    if not name:
        return ""
    text = f"Support checker: {info.get('checker_description', name)}"
    figures = info.get("checker_figures") or {}
    if isinstance(figures, dict) and figures:
        parts = [f"{key.replace('_', ' ')} {value:.2f}" for key, value in figures.items()]
        text += f" (measured on dev pairs not used to set it: {', '.join(parts)}; see {info.get('checker_figures_doc', FIGURES_DOC)})"
    text += "."
    if "checker_model_asked" in info:
        text += (f" The model was asked about {info['checker_model_asked']} sentence/citation pair(s) the offline "
                 f"checker left undecided and decided {info['checker_model_decided']}.")
        if info.get("checker_model_fallback"):
            text += (f" For {info['checker_model_fallback']} the model failed or gave no usable answer; "
                     "the offline verdicts were kept.")
    limits = info.get("checker_limits") or []
    if isinstance(limits, list) and limits:
        text += " Limits: " + "; ".join(str(x) for x in limits) + "."
    return text
