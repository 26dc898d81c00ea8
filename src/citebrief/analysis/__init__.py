"""Analysis on a linguistic parse: claims, actors, dated stances toward the question's target, reasons.

    parse     spaCy en_core_web_sm (NER, dependencies, lemmas), loaded once, cached by text
    claims    one sentence → holder / speaker / predicate / polarity / object / reason
    names     pronouns, surnames, demonyms and capitals → one actor, within a document
    target    the question → what the positions are about
    stances   evidence → ActorFinding rows with dated stance series and their own reasons
"""
