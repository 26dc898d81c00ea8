// citebrief page: ask, follow progress, read the brief, open cited evidence, find old briefs, manage sources.
// Every piece of data enters the DOM through textContent or a text node — never innerHTML.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const SUMMARY = document.body.dataset.summaryHeading;
  const BOTTOM = document.body.dataset.bottomHeading;
  const MAX_QUESTION = Number(document.body.dataset.maxQuestion) || 2000;
  const SHARE = document.body.dataset.share || ""; // "/share/ID/KEY": a read-only view of one brief
  const PAGE_SIZE = 20;
  const TITLE_CHARS = 160; // longer questions are shortened in the heading and shown in full below it
  let current = null; // {id, brief} shown now
  let stream = null; // the EventSource being followed
  let streaming = null; // {id, shown, numbered}: a brief whose verified sections are on screen before it is done
  let opener = null; // focus returns here when the panel closes
  let historyOffset = 0;

  // el("a", {href: url, class: "x"}, "text", child) — strings become text nodes.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // Replace a node's children; nested arrays are flattened and empty values skipped.
  function fill(node, ...children) {
    node.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false && c !== ""));
    return node;
  }

  function safeUrl(value) {
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (_) {
      return null;
    }
  }

  function hostOf(url) {
    try { return new URL(url).hostname.replace(/^www\./, ""); } catch (_) { return ""; }
  }

  function fmtDate(iso) {
    const d = new Date(iso);
    return isNaN(d) ? String(iso || "") : d.toLocaleString();
  }

  function ordinal(n) {
    const s = ["th", "st", "nd", "rd"], v = n % 100;
    return n + (s[(v - 20) % 10] || s[v] || s[0]);
  }

  // A long text cut at a word boundary: "Which NATO countries … oppose…"
  function shorten(text, limit) {
    if (text.length <= limit) return text;
    const cut = text.slice(0, limit);
    const space = cut.lastIndexOf(" ");
    return (space > limit * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.!?-]+$/, "") + "…";
  }

  async function api(path, options) {
    const res = await fetch(path, Object.assign({credentials: "same-origin"}, options || {}));
    const json = (res.headers.get("content-type") || "").includes("application/json");
    const body = res.status === 204 ? null : json ? await res.json() : await res.text();
    if (!res.ok) {
      const detail = json && body && body.detail;
      const error = new Error(typeof detail === "string" ? detail : `HTTP ${res.status}`);
      error.status = res.status;
      throw error;
    }
    return {body, headers: res.headers};
  }
  const getJson = async (path) => (await api(path)).body;
  const send = (method, path, data) => api(path, {method, body: JSON.stringify(data || {}),
    headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf}});

  const setStatus = (text) => { $("status").textContent = text; };

  // -- addresses: /briefs/ID is a brief; back, forward and reload keep the view --------------------
  function briefIdFromLocation() {
    const hash = /^#brief=([\w-]+)$/.exec(location.hash); // links from before /briefs/ID existed
    if (hash) return hash[1];
    const path = /^\/briefs\/([\w-]+)\/?$/.exec(location.pathname);
    return path ? path[1] : null;
  }

  function go(id) {
    const target = id ? `/briefs/${encodeURIComponent(id)}` : "/";
    if (location.pathname !== target || location.hash) history.pushState({brief: id}, "", target);
  }

  function route() {
    const id = briefIdFromLocation();
    if (id && /^#brief=/.test(location.hash)) history.replaceState({brief: id}, "", `/briefs/${encodeURIComponent(id)}`);
    if (id) showJob(id);
    else clearBrief();
  }
  window.addEventListener("popstate", route);
  window.addEventListener("hashchange", () => { if (/^#brief=/.test(location.hash)) route(); });

  // -- asking and following ---------------------------------------------------------------------
  function questionProblem() {
    const length = $("question").value.trim().length;
    $("question-count").textContent = `${length.toLocaleString()} of ${MAX_QUESTION.toLocaleString()} characters`;
    const over = length > MAX_QUESTION;
    $("question-count").classList.toggle("error", over);
    if (over) {
      $("question").setAttribute("aria-invalid", "true");
      return `The question is ${length.toLocaleString()} characters long; the limit is ${MAX_QUESTION.toLocaleString()}. ` +
        "Shorten it and ask again.";
    }
    $("question").removeAttribute("aria-invalid");
    return length ? null : "Type a question first.";
  }
  $("question").addEventListener("input", questionProblem);
  $("question").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      $("ask-form").requestSubmit();
    }
  });

  $("ask-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const problem = questionProblem();
    if (problem) { setStatus(problem); $("question").focus(); return; }
    $("ask-button").disabled = true;
    try {
      const job = (await send("POST", "/api/briefs",
        {question: $("question").value.trim(), keep_unsupported: $("keep-unsupported").checked})).body;
      go(job.id);
      showJob(job.id);
      loadHistory();
    } catch (err) {
      setStatus(`Could not start the brief: ${err.message}`);
    } finally {
      $("ask-button").disabled = false;
    }
  });

  function clearBrief() {
    if (stream) { stream.close(); stream = null; }
    stopStreaming();
    current = null;
    $("brief").hidden = true;
    $("progress-box").hidden = true;
    $("cancel-button").hidden = true;
    collapseAsk(false);
  }

  // With a brief on screen the question form folds into one button, so the brief starts near the top.
  function collapseAsk(collapsed) {
    $("ask-form").hidden = collapsed;
    $("ask-intro").hidden = collapsed;
    $("new-question").hidden = !collapsed;
  }
  $("new-question").addEventListener("click", () => {
    collapseAsk(false);
    $("question").focus();
  });

  async function showJob(id, keepProgress) {
    if (stream) { stream.close(); stream = null; }
    if (!keepProgress) stopStreaming();
    if (!keepProgress) { $("progress").replaceChildren(); $("progress-box").hidden = true; }
    let job;
    try {
      job = await getJson(`/api/briefs/${encodeURIComponent(id)}`);
    } catch (err) {
      clearBrief();
      setStatus(err.status === 404 ? "That brief does not exist (any more): check the link, or pick one from the history."
        : `Could not load the brief: ${err.message}`);
      return;
    }
    if (briefIdFromLocation() !== id) return; // the reader moved on meanwhile
    $("cancel-button").hidden = true;
    if (job.status === "done") {
      setStatus(job.brief && job.brief.enough_evidence === false
        ? `No answer: your sources hold too little on “${shorten(job.question, 80)}”.`
        : `Brief ready: ${shorten(job.title || job.question, 120)}`);
      renderBrief(job);
    } else if (job.status === "failed") {
      $("brief").hidden = true;
      collapseAsk(false);
      setStatus(job.error === "cancelled" ? "This brief was cancelled." : `This brief failed: ${job.error || "unknown error"}`);
    } else {
      $("brief").hidden = true;
      follow(job);
    }
  }

  function queueText(position) {
    return position === 1 ? "Waiting: next in line" : `Waiting: ${ordinal(position)} in line`;
  }

  function follow(job) {
    setStatus(job.status === "queued" && job.queue_position ? `${queueText(job.queue_position)} — ${shorten(job.question, 120)}`
      : `Writing the brief: ${shorten(job.question, 120)}`);
    Object.assign($("progress-box"), {hidden: false, open: true});
    $("cancel-button").hidden = false;
    $("cancel-button").dataset.id = job.id;
    const source = new EventSource(`/api/briefs/${encodeURIComponent(job.id)}/events`);
    stream = source;
    source.addEventListener("queue", (event) => {
      const data = JSON.parse(event.data);
      if (data.position) setStatus(`${queueText(data.position)} — ${shorten(job.question, 120)}`);
    });
    source.addEventListener("stage", (event) => {
      const data = JSON.parse(event.data);
      if ($("progress").children.length === 0) setStatus(`Writing the brief: ${shorten(job.question, 120)}`);
      $("progress").append(el("li", null, el("span", {class: "stage"}, data.stage), " ", data.detail));
    });
    source.addEventListener("section", (event) => {
      if (stream === source && briefIdFromLocation() === job.id) showSection(job, JSON.parse(event.data));
    });
    const finish = (event) => {
      source.close();
      if (stream === source) stream = null;
      const data = JSON.parse(event.data);
      $("progress-box").open = false; // folded away once finished; the steps stay readable
      $("cancel-button").hidden = true;
      loadHistory();
      if (briefIdFromLocation() !== job.id) return;
      if (data.status === "done") { showJob(job.id, true); return; }
      if (streaming) { stopStreaming(); $("brief").replaceChildren(); $("brief").hidden = true; collapseAsk(false); }
      setStatus(data.error === "cancelled" ? "The brief was cancelled." : `The brief failed: ${data.error || "unknown error"}`);
    };
    source.addEventListener("done", finish);
    source.addEventListener("failed", finish);
  }

  // -- sections as they are verified ("section" events), replaced by the finished brief on "done" ----------
  // The article is aria-busy while sections arrive, and the status line speaks once (at the first
  // section), so a screen reader is not interrupted by every section; the sections can be read at once.
  function startStreaming(job) {
    streaming = {id: job.id, shown: 0, numbered: 0};
    current = {id: job.id, brief: {sources: []}};
    const art = $("brief");
    fill(art, briefHeading({title: job.title, brief: {question: job.question}}),
      el("p", {id: "stream-note", class: "meta checking"},
        "Verified sections are shown as they are checked. Checking the remaining sections…"));
    art.setAttribute("aria-busy", "true");
    collapseAsk(true);
    $("progress-box").open = false; // the brief takes the place of the step list; it stays one click away
    art.hidden = false;
  }

  function showSection(job, data) {
    if (!streaming || streaming.id !== job.id) startStreaming(job);
    if (data.index < streaming.shown) return; // already on screen (the stream was opened again)
    const sources = current.brief.sources;
    for (const src of data.sources) {
      const at = sources.findIndex((s) => s.n === src.n);
      if (at < 0) sources.push(src); else sources[at] = src;
    }
    let heading = data.heading;
    if (heading === SUMMARY) heading = "Executive summary";
    else if (heading !== BOTTOM) { streaming.numbered += 1; heading = `${streaming.numbered}. ${heading}`; }
    $("stream-note").before(el("h3", null, heading), sentences(data.sentences));
    streaming.shown = data.index + 1;
    if (streaming.shown === 1) setStatus(`Verified sections appear as they are checked: ${shorten(job.question, 120)}`);
  }

  function stopStreaming() {
    streaming = null;
    $("brief").removeAttribute("aria-busy");
  }

  $("cancel-button").addEventListener("click", async () => {
    const id = $("cancel-button").dataset.id;
    try {
      await send("POST", `/api/briefs/${encodeURIComponent(id)}/cancel`);
    } catch (err) {
      setStatus(`Could not cancel: ${err.message}`);
    }
  });

  // -- the brief ----------------------------------------------------------------------------------
  function sourceOf(n) {
    return current.brief.sources.find((s) => s.n === n);
  }

  // The spans a citation [n] was verified against; old briefs have none (then the page picks a quote).
  function spansFor(n, spans) {
    return (spans || []).filter((e) => e.n === n);
  }

  function citeButtons(numbers, spans, context) {
    return numbers.map((n) => {
      const src = sourceOf(n);
      const label = `Source ${n}${src && (src.title || src.outlet) ? ": " + (src.title || src.outlet) : ""}`;
      const mine = spansFor(n, spans);
      return [" ", el("button", {type: "button", class: "cite", "aria-label": label,
        onclick: (e) => openCitation(n, mine, context, e.currentTarget),
        onmouseenter: (e) => showCard(n, mine, e.currentTarget), onfocus: (e) => showCard(n, mine, e.currentTarget),
        onmouseleave: hideCard, onblur: hideCard}, `[${n}]`)];
    });
  }

  function sentences(list) {
    return el("p", null, list.map((s, i) => [
      i ? " " : "",
      el("span", {class: s.verdict === "supported" || s.verdict === "partial" ? "" : "unsupported"}, s.text),
      s.verdict === "supported" || s.verdict === "partial" ? "" : el("em", {class: "small"}, ` (${s.verdict})`),
      citeButtons(s.citations, s.evidence, s.text),
    ]));
  }

  function actorTable(actors) {
    const cols = ["Position", "Stated reasons", "Sources"];
    return el("div", {class: "table-wrap"}, el("table", {class: "actors"},
      el("caption", null, "Actors, their positions and stated reasons" +
        ((actors.find((a) => a.position_toward) || {}).position_toward
          ? ` (positions on ${actors.find((a) => a.position_toward).position_toward})` : "")),
      el("thead", null, el("tr", null, ["Actor", ...cols].map((h) => el("th", {scope: "col"}, h)))),
      el("tbody", null, actors.map((a) => el("tr", null,
        el("th", {scope: "row"}, a.name),
        el("td", {"data-label": cols[0]}, a.party ? `${a.position} (its own act)` : a.position),
        el("td", {"data-label": cols[1]}, a.reasons.length ? a.reasons.join("; ") : "—"),
        el("td", {"data-label": cols[2]}, citeButtons(a.citations, a.evidence, `${a.name} ${a.reasons.join(" ")}`)))))));
  }

  function exportBar(job) {
    const print = el("button", {type: "button", class: "secondary", onclick: () => window.print()}, "Print");
    if (SHARE) return el("nav", {class: "exports", "aria-label": "Export this brief"}, print);
    const link = (fmt, label) => el("a", {class: "button secondary", download: "",
      href: `/api/briefs/${encodeURIComponent(job.id)}/export?format=${fmt}`}, label);
    const shareBox = el("p", {class: "share-box", hidden: true});
    const share = el("button", {type: "button", class: "secondary", onclick: async () => {
      try {
        const {url} = await getJson(`/api/briefs/${encodeURIComponent(job.id)}/share`);
        const field = el("input", {type: "text", id: "share-url", readonly: true, value: new URL(url, location.href).href});
        fill(shareBox, el("label", {for: "share-url"}, "Read-only link (anyone with it can read this brief)"), field);
        shareBox.hidden = false;
        field.focus();
        field.select();
      } catch (err) {
        fill(shareBox, el("span", {class: "error"}, `No share link: ${err.message}`));
        shareBox.hidden = false;
      }
    }}, "Share");
    return [el("nav", {class: "exports", "aria-label": "Export this brief"}, "Export: ",
      link("md", "Markdown"), " ", link("html", "HTML"), " ", link("json", "JSON"), " ", link("docx", "Word"), " ",
      link("pdf", "PDF"), " ", print, " ", share), shareBox];
  }

  function briefHeading(job) {
    const b = job.brief;
    const name = job.title || b.question;
    const heading = el("h2", {id: "brief-title", tabindex: "-1"}, shorten(name, TITLE_CHARS));
    const full = name.length > TITLE_CHARS || (job.title && job.title !== b.question)
      ? el("p", {class: "question-full"}, el("span", {class: "muted"}, "Question: "), b.question) : null;
    return [heading, full];
  }

  function notEnough(b) {
    // The pipeline's advice names the command line; on the page the action is the upload form below.
    const limits = b.limits.map((x) => x.replace(/\s*\(citebrief add PATH\)/g, ""));
    return [el("p", {class: "warn"}, el("strong", null, "Not enough evidence in your sources to answer this question.")),
      el("ul", null, limits.map((x) => el("li", null, x))),
      el("p", null, el("a", {class: "button", href: "#sources", onclick: (e) => {
        e.preventDefault();
        $("sources").scrollIntoView();
        $("files").focus();
      }}, "Add sources"), " then ask again.")];
  }

  function renderBrief(job) {
    const b = job.brief;
    stopStreaming();
    current = {id: job.id, brief: b};
    const art = $("brief");
    fill(art, briefHeading(job), el("p", {class: "meta"}, `Written ${fmtDate(b.generated_at)}`), exportBar(job));
    if (!b.enough_evidence) {
      art.append(...notEnough(b));
      // what the sources do say about what was asked ("… has not been confirmed"), cited
      for (const section of b.sections) art.append(el("h3", null, section.heading), sentences(section.sentences));
      if (b.sources.length) art.append(el("h3", null, "Sources"), sourceList(b));
    } else {
      const summary = b.sections.find((s) => s.heading === SUMMARY);
      const bottom = b.sections.find((s) => s.heading === BOTTOM);
      let n = 0;
      if (summary) art.append(el("h3", null, "Executive summary"), sentences(summary.sentences));
      for (const section of b.sections.filter((s) => s.heading !== SUMMARY && s.heading !== BOTTOM)) {
        n += 1;
        art.append(el("h3", null, `${n}. ${section.heading}`), sentences(section.sentences));
        if (n === 1 && b.actors.length) art.append(actorTable(b.actors), timelineSection(job));
      }
      if (b.disputes.length) {
        n += 1;
        art.append(el("h3", null, `${n}. Competing narratives`), el("ul", null, b.disputes.map((d) =>
          el("li", null, d.summary, el("ul", null, d.sides.map((side) =>
            el("li", null, side.text, citeButtons(side.citations, side.evidence, side.text))))))));
      }
      n += 1;
      art.append(el("h3", null, `${n}. Limits of the available reporting and open questions`),
        el("ul", null, b.limits.map((x) => el("li", null, x))));
      if (bottom) art.append(el("h3", null, `${n + 1}. ${BOTTOM}`), sentences(bottom.sentences));
      const m = b.metrics || {};
      art.append(el("p", {class: "muted small"}, `Verification: citation recall ${(m.citation_recall || 0).toFixed(2)}, ` +
        `citation precision ${(m.citation_precision || 0).toFixed(2)}; ${m.sentences_removed || 0} unsupported ` +
        `sentence(s) removed, ${m.citations_dropped || 0} irrelevant citation(s) dropped.` +
        (m.sentences_quoted === undefined ? "" : ` ${m.sentences_quoted} sentence(s) quoted from sources (checked ` +
          `against the passage they come from); ${m.templates_verified_against_analysis || 0} template sentence(s) ` +
          `verified against the analysis.`)));
      art.append(el("h3", null, "Sources"), sourceList(b));
    }
    collapseAsk(true);
    art.hidden = false;
    $("brief-title").focus();
  }

  function sourceList(b) {
    return el("ol", {class: "sources"}, b.sources.map((s) => {
      const title = s.title || hostOf(s.url) || "Untitled";
      const url = safeUrl(s.url);
      return el("li", {value: s.n, id: `src-${s.n}`},
        el("button", {type: "button", class: "link", onclick: (e) => openCitation(s.n, [], "", e.currentTarget)}, title),
        " — ", [s.outlet, s.published].filter(Boolean).join(", ") || "no outlet or date",
        url ? [" · ", el("a", {href: url, rel: "noopener noreferrer", class: "external"},
          `${title} (${hostOf(url)})`)] : "");
    }));
  }

  // -- the stance timeline (GET /api/briefs/ID/timeline, built by brief/timeline.py) -------------------
  // Shown under the actor table when the brief has dated stances (on share links too); hidden otherwise.
  function timelineSection(job) {
    const box = el("section", {class: "timeline", "aria-labelledby": "timeline-title", hidden: true});
    getJson(SHARE ? `${SHARE}/timeline` : `/api/briefs/${encodeURIComponent(job.id)}/timeline`).then(({timeline}) => {
      if (!timeline.length || !current || current.id !== job.id) return;
      fill(box, el("h3", {id: "timeline-title"}, "Stance timeline"),
        el("p", {class: "muted small"}, "Each actor's dated statements in order, with the position each takes."),
        timeline.map((a) => [el("h4", null, `${a.name} — now ${a.position}`), el("ol", {class: "timeline-list"},
          a.statements.map((s) => {
            // the spans behind this statement: the cited sources' passages that quote it
            const spans = s.citations.flatMap((n) => ((sourceOf(n) || {}).passages || [])
              .filter((p) => s.quotes.includes(p.quote)).map((p) => Object.assign({n}, p)));
            return el("li", null, el("span", {class: "timeline-date"}, s.date || "undated"), " — ",
              s.changed_from ? el("strong", null, `${s.changed_from} → ${s.position}`) : s.position,
              citeButtons(s.citations, spans, s.quotes.join(" ")),
              s.quotes.length ? el("q", {class: "timeline-quote"}, shorten(s.quotes[0], 320)) : "");
          }))]));
      box.hidden = false;
    }).catch(() => {}); // the brief stands without it
    return box;
  }

  // -- the source card on hover or focus of [n] ------------------------------------------------------
  // src: the cited source when it is not the shown brief's [n] (a change list cites two briefs)
  function showCard(n, spans, button, src = sourceOf(n)) {
    if (!src) return;
    const quote = spans.length ? spans[0].quote : (src.passages && src.passages[0] ? src.passages[0].quote : "");
    const card = $("card");
    fill(card, el("strong", null, src.title || hostOf(src.url) || "Untitled source"),
      el("span", {class: "card-meta"}, [src.outlet, src.published].filter(Boolean).join(" · ") || "No outlet or date recorded"),
      quote ? el("q", null, shorten(quote, 320)) : "");
    card.hidden = false;
    const box = button.getBoundingClientRect();
    const width = Math.min(360, window.innerWidth - 16);
    card.style.width = `${width}px`;
    card.style.left = `${Math.max(8, Math.min(box.left + window.scrollX, window.scrollX + window.innerWidth - width - 8))}px`;
    card.style.top = `${box.bottom + window.scrollY + 6}px`;
    button.setAttribute("aria-describedby", "card");
  }

  function hideCard(event) {
    $("card").hidden = true;
    if (event && event.currentTarget && event.currentTarget.removeAttribute) event.currentTarget.removeAttribute("aria-describedby");
  }

  // -- the side panel -----------------------------------------------------------------------------
  function words(text) {
    return new Set((String(text).toLowerCase().match(/[\p{L}\p{N}]+/gu) || []));
  }

  // Briefs stored before spans were recorded: the quote of a source that best matches the sentence.
  function bestQuote(quotes, context) {
    const ctx = words(context);
    let best = 0, bestScore = -1;
    quotes.forEach((q, i) => {
      const w = words(q.quote);
      let shared = 0;
      w.forEach((x) => { if (ctx.has(x)) shared += 1; });
      const score = shared / (w.size + ctx.size - shared || 1);
      if (score > bestScore) { best = i; bestScore = score; }
    });
    return best;
  }

  // The passage around a span: about 400 characters either side, cut at sentence ends.
  function passageView(text, quote) {
    const start = text.slice(quote.start, quote.end) === quote.quote ? quote.start : text.indexOf(quote.quote);
    if (start < 0) return el("blockquote", {class: "passage"}, el("mark", null, quote.quote));
    const end = start + quote.quote.length;
    let from = Math.max(0, start - 400), to = Math.min(text.length, end + 400);
    if (from > 0) { // begin after the first sentence end or line break in the lead-in
      const m = /[.!?]["'”’)]?\s+|\n+/.exec(text.slice(from, start));
      from = m ? from + m.index + m[0].length : start;
    }
    if (to < text.length) {
      const tail = text.slice(end, to);
      const stops = [...tail.matchAll(/[.!?]["'”’)]?(?=\s)|(?=\n)/g)]; // end after the last sentence end
      const last = stops[stops.length - 1];
      to = last ? end + last.index + last[0].length : end;
    }
    return el("blockquote", {class: "passage"}, from > 0 ? "… " : "", text.slice(from, start),
      el("mark", null, text.slice(start, end)), text.slice(end, to), to < text.length ? " …" : "");
  }

  function docPath(docId) {
    return SHARE ? `${SHARE}/sources/${encodeURIComponent(docId)}` : `/api/sources/${encodeURIComponent(docId)}`;
  }

  function metaLine(doc) {
    const parts = [doc.outlet, doc.author, doc.published].filter(Boolean).join(" · ");
    const url = safeUrl(doc.url);
    return [parts || "No outlet or date recorded", url ? [" · ", el("a", {href: url, rel: "noopener noreferrer"}, url)] : ""];
  }

  function openPanel(from, title, meta) {
    hideCard();
    opener = from || document.activeElement;
    $("panel-title").textContent = title;
    fill($("panel-meta"), meta);
    $("panel-body").replaceChildren(el("p", {class: "muted"}, "Loading…"));
    $("panel").hidden = false;
    document.body.classList.add("panel-open");
    $("panel").focus();
  }

  function closePanel() {
    $("panel").hidden = true;
    document.body.classList.remove("panel-open");
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  }

  // [n] opens the exact span it was verified against, inside its passage; other spans are listed.
  async function openCitation(n, spans, context, from, src = sourceOf(n), label = `[${n}]`) {
    if (!src) return;
    const cited = spans.length ? spans : [];
    const others = (src.passages || []).filter((q) => !cited.some((c) => c.start === q.start && c.end === q.end));
    openPanel(from, `${label} ${src.title || hostOf(src.url) || "Untitled source"}`, metaLine(src));
    let doc;
    try {
      doc = await getJson(docPath(src.doc_id));
    } catch (err) {
      fill($("panel-body"), el("p", {class: "error"}, `Could not load the document: ${err.message}`),
        [...cited, ...others].map((q) => el("blockquote", {class: "passage"}, el("mark", null, q.quote))));
      return;
    }
    const all = cited.length ? [...cited, ...others] : others;
    const show = (index) => {
      const list = (items, offset) => items.map((q, i) => i + offset === index ? null : el("li", null,
        el("button", {type: "button", class: "link", onclick: () => show(i + offset)}, q.quote))).filter(Boolean);
      const alsoCited = list(cited, 0), fromSource = list(others, cited.length);
      fill($("panel-body"),
        el("p", {class: "muted small"}, index < cited.length ? "The passage this citation was verified against:"
          : cited.length ? "Another passage the brief cites from this source:" : "A passage the brief cites from this source:"),
        passageView(doc.text, all[index]),
        alsoCited.length ? [el("h3", null, "This citation also rests on"), el("ul", null, alsoCited)] : [],
        fromSource.length ? [el("h3", null, "Other passages the brief cites from this source"), el("ul", null, fromSource)] : []);
    };
    if (all.length) show(cited.length ? 0 : bestQuote(others, context));
    else $("panel-body").replaceChildren(el("div", {class: "doctext"}, doc.text));
  }

  async function openDocument(meta, from) {
    openPanel(from, meta.title || hostOf(meta.url) || "Untitled document", metaLine(meta));
    try {
      const doc = await getJson(docPath(meta.doc_id));
      $("panel-body").replaceChildren(el("div", {class: "doctext"}, doc.text));
    } catch (err) {
      $("panel-body").replaceChildren(el("p", {class: "error"}, `Could not load the document: ${err.message}`));
    }
  }

  $("panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    if (!$("card").hidden) { hideCard(); return; }
    if (!$("panel").hidden) { event.preventDefault(); closePanel(); }
  });

  // -- history: paged, searchable, rename and delete ----------------------------------------------
  function historyItem(j) {
    const name = j.title || j.question;
    const open = el("a", {href: `/briefs/${encodeURIComponent(j.id)}`, class: "history-open",
      onclick: (e) => { e.preventDefault(); go(j.id); showJob(j.id); }}, shorten(name, 140));
    const status = j.status === "queued" && j.queue_position ? `queued, ${ordinal(j.queue_position)} in line` : j.status;
    const row = el("li", null, open, " ", el("span", {class: `badge ${j.status}`}, status), " ",
      el("time", {datetime: j.created, class: "muted small"}, fmtDate(j.created)), " ",
      el("span", {class: "history-actions"},
        el("button", {type: "button", class: "link small", "aria-label": `Rename: ${shorten(name, 60)}`,
          onclick: () => renameForm(row, j)}, "Rename"), " ",
        deleteButton(j, name)));
    return row;
  }

  function deleteButton(j, name) {
    let armed = null;
    const button = el("button", {type: "button", class: "link small danger", "aria-label": `Delete: ${shorten(name, 60)}`,
      onclick: async () => {
        if (!armed) { // a second press within 5 s deletes; no dialog box
          button.textContent = "Press again to delete";
          armed = setTimeout(() => { armed = null; button.textContent = "Delete"; }, 5000);
          return;
        }
        clearTimeout(armed);
        try {
          await send("DELETE", `/api/briefs/${encodeURIComponent(j.id)}`);
          if (current && current.id === j.id) { go(null); clearBrief(); }
          await loadHistory();
          $("history-status").textContent = `Deleted “${shorten(name, 60)}”.`;
          $("history-search").focus(); // the pressed button is gone
        } catch (err) {
          $("history-status").textContent = `Could not delete: ${err.message}`;
        }
      }}, "Delete");
    return button;
  }

  function renameForm(row, j) {
    const input = el("input", {type: "text", id: `rename-${j.id}`, value: j.title || j.question, maxlength: 200});
    const form = el("form", {class: "rename"},
      el("label", {for: `rename-${j.id}`, class: "visually-hidden"}, "New name"), input, " ",
      el("button", {type: "submit"}, "Save"), " ",
      el("button", {type: "button", class: "secondary", onclick: () => loadHistory()}, "Cancel"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await send("PATCH", `/api/briefs/${encodeURIComponent(j.id)}`, {title: input.value});
        $("history-status").textContent = "Renamed.";
        if (current && current.id === j.id) showJob(j.id, true);
      } catch (err) {
        $("history-status").textContent = `Could not rename: ${err.message}`;
      }
      loadHistory();
    });
    row.replaceChildren(form);
    input.focus();
    input.select();
  }

  async function loadHistory() {
    const list = $("history-list");
    const q = $("history-search").value.trim();
    try {
      const {body: jobs, headers} = await api(`/api/briefs?limit=${PAGE_SIZE}&offset=${historyOffset}&q=${encodeURIComponent(q)}`);
      const total = Number(headers.get("x-total-count") || jobs.length);
      if (!jobs.length && historyOffset > 0) { historyOffset = Math.max(0, historyOffset - PAGE_SIZE); return loadHistory(); }
      list.replaceChildren(...jobs.map(historyItem));
      if (!jobs.length) list.append(el("li", {class: "muted"}, q ? "No brief matches." : "No briefs yet."));
      $("history-range").textContent = total ? `${historyOffset + 1}–${historyOffset + jobs.length} of ${total}` : "";
      $("history-newer").disabled = historyOffset === 0;
      $("history-older").disabled = historyOffset + jobs.length >= total;
      $("history-pager").hidden = total <= PAGE_SIZE;
    } catch (err) {
      list.replaceChildren(el("li", {class: "error"}, `Could not load the history: ${err.message}`));
    }
  }

  let searchTimer = null;
  $("history-search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { historyOffset = 0; loadHistory(); }, 250);
  });
  $("history-form").addEventListener("submit", (event) => { event.preventDefault(); historyOffset = 0; loadHistory(); });
  $("history-newer").addEventListener("click", () => { historyOffset = Math.max(0, historyOffset - PAGE_SIZE); loadHistory(); });
  $("history-older").addEventListener("click", () => { historyOffset += PAGE_SIZE; loadHistory(); });

  // -- sources: list with filters, uploads and web additions as background jobs -----------------------
  const MAX_UPLOAD = Number(document.body.dataset.maxUpload) || 0;
  const MB = 1024 * 1024;
  let allDocs = [];
  const watching = new Set(); // ingest jobs being polled

  function sourceRow(d) {
    return el("tr", null,
      el("td", null, el("button", {type: "button", class: "link", onclick: (e) => openDocument(d, e.currentTarget)},
        d.title || hostOf(d.url) || "Untitled")),
      el("td", null, d.outlet || "—"), el("td", {class: "nowrap"}, d.published || "—"),
      el("td", null, d.duplicate_of ? `near-duplicate of ${d.duplicate_of.slice(0, 8)}` : ""),
      el("td", null, deleteSourceButton(d)));
  }

  function deleteSourceButton(d) {
    const name = d.title || hostOf(d.url) || "Untitled";
    let armed = null;
    const button = el("button", {type: "button", class: "link small danger", "aria-label": `Delete source: ${shorten(name, 60)}`,
      onclick: async () => {
        if (!armed) { // a second press within 5 s deletes, as for briefs; no dialog box
          button.textContent = "Press again to delete";
          armed = setTimeout(() => { armed = null; button.textContent = "Delete"; }, 5000);
          return;
        }
        clearTimeout(armed);
        try {
          await send("DELETE", `/api/sources/${encodeURIComponent(d.doc_id)}`);
          await loadSources();
          $("upload-status").textContent = `Deleted “${shorten(name, 60)}” from the corpus.`;
          $("filter-outlet").focus(); // the pressed button is gone
        } catch (err) {
          $("upload-status").textContent = `Could not delete: ${err.message}`;
        }
      }}, "Delete");
    return button;
  }

  function showSources() {
    const outlet = $("filter-outlet").value, from = $("filter-from").value, to = $("filter-to").value;
    const shown = allDocs.filter((d) => (!outlet || d.outlet === outlet) &&
      (!from || (d.published && d.published.slice(0, 10) >= from)) &&
      (!to || (d.published && d.published.slice(0, 10) <= to)));
    const filtered = shown.length !== allDocs.length;
    $("source-count").textContent = `${allDocs.length} document${allDocs.length === 1 ? "" : "s"} in the corpus` +
      (filtered ? `; ${shown.length} shown.` : ".");
    document.querySelector("#source-table tbody").replaceChildren(...shown.map(sourceRow));
  }

  async function loadSources() {
    try {
      allDocs = await getJson("/api/sources");
      const select = $("filter-outlet"), chosen = select.value;
      const outlets = [...new Set(allDocs.map((d) => d.outlet).filter(Boolean))].sort((a, b) => a.localeCompare(b));
      select.replaceChildren(el("option", {value: ""}, "All outlets"), ...outlets.map((o) => el("option", {value: o}, o)));
      select.value = outlets.includes(chosen) ? chosen : "";
      showSources();
    } catch (err) {
      $("source-count").textContent = `Could not load the sources: ${err.message}`;
    }
  }
  ["filter-outlet", "filter-from", "filter-to"].forEach((id) => ["input", "change"].forEach((type) => $(id).addEventListener(type, showSources)));

  const KIND_NAMES = {files: "Files", page: "Web pages", feed: "Feeds", sitemap: "Sitemaps"};

  function ingestItem(job) {
    const finished = job.items.filter((i) => !["waiting", "reading"].includes(i.status)).length;
    const head = job.status === "queued" ? "waiting to start" : job.status === "running"
      ? `${finished} of ${job.items.length} done` : job.status === "failed" ? `failed: ${job.error}` : "finished";
    return el("li", {id: `ingest-${job.id}`, class: `ingest ${job.status}`},
      el("strong", null, `${KIND_NAMES[job.kind] || job.kind} · ${fmtDate(job.created)}`), " — ", head,
      el("ul", null, job.items.map((i) => el("li", {class: i.status},
        el("span", {class: `badge ${i.status}`}, i.status), " ", i.name, i.reason ? ` — ${i.reason}` : ""))));
  }

  function showIngest(job) {
    const list = $("ingest-list");
    const old = $(`ingest-${job.id}`);
    const item = ingestItem(job);
    if (old) old.replaceWith(item);
    else list.prepend(item);
    if (job.status === "queued" || job.status === "running") watch(job.id);
  }

  function watch(id) {
    if (watching.has(id)) return;
    watching.add(id);
    const tick = async () => {
      let job;
      try {
        job = await getJson(`/api/ingests/${encodeURIComponent(id)}`);
      } catch (_) {
        watching.delete(id);
        return;
      }
      const before = $(`ingest-${id}`) ? $(`ingest-${id}`).className : "";
      showIngest(job);
      if (job.status === "queued" || job.status === "running") { setTimeout(tick, 1000); return; }
      watching.delete(id);
      if (!before.includes(job.status)) {
        const counts = {};
        job.items.forEach((o) => { counts[o.status] = (counts[o.status] || 0) + 1; });
        $("upload-status").textContent = `${KIND_NAMES[job.kind] || job.kind}: ` +
          (Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(", ") || "nothing found") + ".";
      }
      loadSources();
    };
    setTimeout(tick, 500);
  }

  async function loadIngests() {
    try {
      const jobs = await getJson("/api/ingests");
      $("ingest-list").replaceChildren();
      jobs.slice().reverse().forEach(showIngest);
      if (!jobs.length) $("ingest-list").append(el("li", {class: "muted"}, "Nothing added since the server started."));
    } catch (_) { /* the list stays empty */ }
  }

  function clearEmptyNote() {
    const note = $("ingest-list").querySelector("li.muted");
    if (note) note.remove();
  }

  // Drag and drop several files onto the upload box.
  const zone = $("drop-zone");
  ["dragenter", "dragover"].forEach((type) => zone.addEventListener(type, (e) => { e.preventDefault(); zone.classList.add("over"); }));
  ["dragleave", "drop"].forEach((type) => zone.addEventListener(type, () => zone.classList.remove("over")));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    if (!e.dataTransfer || !e.dataTransfer.files.length) return;
    $("files").files = e.dataTransfer.files;
    $("upload-status").textContent = `${e.dataTransfer.files.length} file(s) chosen: ` +
      [...e.dataTransfer.files].map((f) => f.name).join(", ") + ".";
  });

  $("upload-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const files = $("files").files;
    if (!files.length) { $("upload-status").textContent = "Choose or drop one or more files first."; return; }
    const total = [...files].reduce((sum, f) => sum + f.size, 0);
    if (MAX_UPLOAD && total > MAX_UPLOAD) {
      $("upload-status").textContent = `These files come to ${(total / MB).toFixed(1)} MB; the limit is ` +
        `${(MAX_UPLOAD / MB).toLocaleString()} MB per upload. Upload fewer at a time.`;
      return;
    }
    const data = new FormData();
    for (const file of files) data.append("files", file, file.name);
    data.append("csrf_token", csrf);
    $("upload-button").disabled = true;
    $("upload-status").textContent = `Uploading ${files.length} file(s)…`;
    try {
      const job = (await api("/api/sources?background=true", {method: "POST", body: data, headers: {"X-CSRF-Token": csrf}})).body;
      $("upload-status").textContent = "Uploaded; ingesting in the background — you can leave this page and come back.";
      clearEmptyNote();
      showIngest(job);
      $("upload-form").reset();
    } catch (err) {
      $("upload-status").textContent = `Upload failed: ${err.message}`;
    } finally {
      $("upload-button").disabled = false;
    }
  });

  $("web-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const urls = $("web-urls").value.split(/\s+/).map((u) => u.trim()).filter(Boolean);
    if (!urls.length) { $("upload-status").textContent = "Type one or more web addresses first."; $("web-urls").focus(); return; }
    const kind = (document.querySelector('#web-form input[name="kind"]:checked') || {}).value || "page";
    $("web-button").disabled = true;
    try {
      const job = (await send("POST", "/api/sources/web", {urls, kind})).body;
      $("upload-status").textContent = "Fetching in the background — you can leave this page and come back.";
      clearEmptyNote();
      showIngest(job);
      $("web-form").reset();
    } catch (err) {
      $("upload-status").textContent = `Could not add: ${err.message}`;
    } finally {
      $("web-button").disabled = false;
    }
  });

  async function showShared() {
    document.body.classList.add("shared");
    try {
      renderBrief(await getJson(`${SHARE}/brief`));
      setStatus("A read-only copy of this brief, shared with you.");
    } catch (err) {
      setStatus(`Could not load the shared brief: ${err.message}`);
    }
  }

  if (SHARE) {
    showShared();
  } else {
    questionProblem();
    loadHistory();
    loadSources();
    loadIngests();
    route();
  }
  // What watches.js (the Watched view) shares with this page.
  window.citebrief = Object.freeze({el, fill, getJson, fmtDate, shorten, hostOf, showCard, hideCard, openCitation});
})();
