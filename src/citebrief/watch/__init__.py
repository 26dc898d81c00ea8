"""Watched questions: a question kept with its options, every brief written for it, and what changed.

    watch add ─▶ Watch (name, question, feeds, research)        store.py: tables of migration 0007
    watch run ─▶ refresh feeds / research ─▶ ask ─▶ Version      run.py: the one place with I/O
    Version, Version ─▶ diff_briefs ─▶ Changes                   diff.py: pure, by identity
    Changes ─▶ Markdown | JSON                                   render.py: pure, every line cited
"""
