"""Hand-labelled sentence-splitting cases: (text, expected sentences), written for this project.

Conventions: closing quotes and brackets belong to the sentence they close; a blank line always ends
a sentence; a list item on its own line is its own sentence; ``?``/``!`` inside a quotation followed
by its speaker ("… he said", "… Maria asked") does not end the sentence. The last few cases are hard
on purpose (lower-case sentence starts, a letter name ending a sentence): a rule-based splitter is not
expected to get every case right, and the accuracy figure should show that.
"""

from __future__ import annotations

CASES: list[tuple[str, list[str]]] = [
    # --- plain boundaries
    ("The council met on Tuesday. It approved the budget.",
     ["The council met on Tuesday.", "It approved the budget."]),
    ("Wow! That was fast. Was it planned?",
     ["Wow!", "That was fast.", "Was it planned?"]),
    ("Really?! Yes. Absolutely.", ["Really?!", "Yes.", "Absolutely."]),
    ("Breaking news from the harbour", ["Breaking news from the harbour"]),
    ("Prices rose.  Wages did not.", ["Prices rose.", "Wages did not."]),
    ("He scored 3. 5 players were injured.", ["He scored 3.", "5 players were injured."]),
    # --- country and organisation abbreviations
    ("The U.S. Senate voted on Monday.", ["The U.S. Senate voted on Monday."]),
    ("He moved to the U.S. He was 20 at the time.", ["He moved to the U.S.", "He was 20 at the time."]),
    ("Talks with the U.K. and the E.U. resumed.", ["Talks with the U.K. and the E.U. resumed."]),
    ("The U.N. Security Council met in New York.", ["The U.N. Security Council met in New York."]),
    ("She lives in Washington, D.C. The city is expensive.",
     ["She lives in Washington, D.C.", "The city is expensive."]),
    ("She works at Apple Inc. The company declined to comment.",
     ["She works at Apple Inc.", "The company declined to comment."]),
    ("Apple Inc. Chief Executive Tim Cook spoke first.",
     ["Apple Inc. Chief Executive Tim Cook spoke first."]),
    # --- dates and times
    ("The strike began on Nov. 21 and ended a week later.",
     ["The strike began on Nov. 21 and ended a week later."]),
    ("It happened on Nov. 21. Officials confirmed it a day later.",
     ["It happened on Nov. 21.", "Officials confirmed it a day later."]),
    ("The vote is set for Sept. 30, 2025, in Geneva.", ["The vote is set for Sept. 30, 2025, in Geneva."]),
    ("The meeting starts at 9 a.m. and ends at noon.", ["The meeting starts at 9 a.m. and ends at noon."]),
    ("It ended at 5 p.m. The crowd left quietly.", ["It ended at 5 p.m.", "The crowd left quietly."]),
    ("Polls close at 8 p.m. Tuesday in most states.", ["Polls close at 8 p.m. Tuesday in most states."]),
    ("The shuttle leaves at 10:30 a.m. Then it returns at six.",
     ["The shuttle leaves at 10:30 a.m.", "Then it returns at six."]),
    # --- titles and names
    ("Dr. Smith examined the patient.", ["Dr. Smith examined the patient."]),
    ("Mr. and Mrs. Patel arrived late.", ["Mr. and Mrs. Patel arrived late."]),
    ("Gen. Milley met Sen. Warren and Gov. Newsom.", ["Gen. Milley met Sen. Warren and Gov. Newsom."]),
    ("Lt. Col. Ruiz led the unit. Prof. Jane Okafor advised it.",
     ["Lt. Col. Ruiz led the unit.", "Prof. Jane Okafor advised it."]),
    ("J. K. Rowling wrote the books.", ["J. K. Rowling wrote the books."]),
    ("The bill was signed by John F. Kennedy. It passed easily.",
     ["The bill was signed by John F. Kennedy.", "It passed easily."]),
    ("George W. Bush spoke after the vote.", ["George W. Bush spoke after the vote."]),
    ("They drove to St. Louis and then to Mt. Hood.", ["They drove to St. Louis and then to Mt. Hood."]),
    ("She earned a Ph.D. in physics.", ["She earned a Ph.D. in physics."]),
    # --- Latin and other abbreviations
    ("Bring a fruit, e.g. an apple or a pear.", ["Bring a fruit, e.g. an apple or a pear."]),
    ("Some fruits (e.g. Apples and Plums) are red.", ["Some fruits (e.g. Apples and Plums) are red."]),
    ("The tax hits sugary drinks, i.e. Coca-Cola and its rivals.",
     ["The tax hits sugary drinks, i.e. Coca-Cola and its rivals."]),
    ("We bought apples, pears, etc. Then we went home.",
     ["We bought apples, pears, etc.", "Then we went home."]),
    ("Chelsea vs. Arsenal ended level.", ["Chelsea vs. Arsenal ended level."]),
    ("The town is approx. 5 km away.", ["The town is approx. 5 km away."]),
    ("The prime minister lives at No. 10 Downing Street.",
     ["The prime minister lives at No. 10 Downing Street."]),
    ("See Fig. 3 for details.", ["See Fig. 3 for details."]),
    ("He said no. Nobody argued.", ["He said no.", "Nobody argued."]),
    ("She studied art. Museums were her second home.", ["She studied art.", "Museums were her second home."]),
    # --- numbers, URLs, emails
    ("Growth was 3.5 percent. Inflation fell to 2.1 percent.",
     ["Growth was 3.5 percent.", "Inflation fell to 2.1 percent."]),
    ("The deal is worth $3.5 billion. Shares rose.", ["The deal is worth $3.5 billion.", "Shares rose."]),
    ("Python 3.11 is out. It is faster.", ["Python 3.11 is out.", "It is faster."]),
    ("Visit www.example.com for details. Tickets are free.",
     ["Visit www.example.com for details.", "Tickets are free."]),
    ("The report is at https://example.org/report.pdf. It runs to 40 pages.",
     ["The report is at https://example.org/report.pdf.", "It runs to 40 pages."]),
    ("Write to press.office@example.com for a copy.", ["Write to press.office@example.com for a copy."]),
    # --- quotations
    ("“We will win,” he said. “The fans deserve it.”",
     ["“We will win,” he said.", "“The fans deserve it.”"]),
    ("He said “no.” Then he left.", ["He said “no.”", "Then he left."]),
    ("“Where is he?” asked the officer.", ["“Where is he?” asked the officer."]),
    ("“Stop!” shouted the guard.", ["“Stop!” shouted the guard."]),
    ("“Is it safe?” Maria asked.", ["“Is it safe?” Maria asked."]),
    ("“Run!” Tom shouted. Everyone ran.", ["“Run!” Tom shouted.", "Everyone ran."]),
    ("“Stop!” The guard raised his hand.", ["“Stop!”", "The guard raised his hand."]),
    ("She asked, “Why now?” and left the room.", ["She asked, “Why now?” and left the room."]),
    ("Why? “Because,” he said.", ["Why?", "“Because,” he said."]),
    ('"It is over," she said. "We lost."', ['"It is over," she said.', '"We lost."']),
    # --- ellipses
    ("He hesitated… Then he signed.", ["He hesitated…", "Then he signed."]),
    ("He paused... Then he spoke again.", ["He paused...", "Then he spoke again."]),
    ("Wait... what did you say?", ["Wait... what did you say?"]),
    ("I wasn't sure . . . then I knew.", ["I wasn't sure . . . then I knew."]),
    # --- parentheses
    ("She won. (The vote was close.) He conceded.", ["She won.", "(The vote was close.)", "He conceded."]),
    ("The law (passed in 2019) took effect. It was popular.",
     ["The law (passed in 2019) took effect.", "It was popular."]),
    # --- lists and layout
    ("1. Buy a ticket. 2. Board the bus.", ["1. Buy a ticket.", "2. Board the bus."]),
    ("Steps:\n1. Buy a ticket\n2. Board the bus", ["Steps:", "1. Buy a ticket", "2. Board the bus"]),
    ("Bring:\n- water\n- a hat", ["Bring:", "- water", "- a hat"]),
    ("The council voted\non Tuesday.", ["The council voted\non Tuesday."]),
    ("First paragraph\n\nSecond paragraph", ["First paragraph", "Second paragraph"]),
    # --- hard on purpose
    ("The phone sold well. iPhones are popular.", ["The phone sold well.", "iPhones are popular."]),
    ("They chose Plan B. Nobody liked it.", ["They chose Plan B.", "Nobody liked it."]),
]
