// citebrief page: ask, follow progress, read the brief, open cited passages, manage sources.
// Every piece of data enters the DOM through textContent or a text node — never innerHTML.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const SUMMARY = document.body.dataset.summaryHeading;
  const BOTTOM = document.body.dataset.bottomHeading;
  let current = null; // {id, brief} shown now
  let stream = null; // the EventSource being followed
  let opener = null; // focus returns here when the panel closes

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

  function fmtDate(iso) {
    const d = new Date(iso);
    return isNaN(d) ? String(iso || "") : d.toLocaleString();
  }

  async function api(path, options) {
    const res = await fetch(path, Object.assign({credentials: "same-origin"}, options || {}));
    const json = (res.headers.get("content-type") || "").includes("application/json");
    const body = json ? await res.json() : await res.text();
    if (!res.ok) {
      const detail = json && body && body.detail;
      throw new Error(typeof detail === "string" ? detail : detail ? JSON.stringify(detail) : `HTTP ${res.status}`);
    }
    return body;
  }

  const setStatus = (text) => { $("status").textContent = text; };

  // -- asking and following ---------------------------------------------------------------------
  $("ask-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const question = $("question").value.trim();
    if (!question) { setStatus("Type a question first."); $("question").focus(); return; }
    $("ask-button").disabled = true;
    try {
      const job = await api("/api/briefs", {
        method: "POST",
        headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
        body: JSON.stringify({question, keep_unsupported: $("keep-unsupported").checked}),
      });
      showJob(job.id);
      loadHistory();
    } catch (err) {
      setStatus(`Could not start the brief: ${err.message}`);
    } finally {
      $("ask-button").disabled = false;
    }
  });

  async function showJob(id, keepProgress) {
    if (stream) { stream.close(); stream = null; }
    if (!keepProgress) { $("progress").replaceChildren(); $("progress-box").hidden = true; }
    let job;
    try {
      job = await api(`/api/briefs/${encodeURIComponent(id)}`);
    } catch (err) {
      setStatus(`Could not load the brief: ${err.message}`);
      return;
    }
    history.replaceState(null, "", `#brief=${encodeURIComponent(id)}`);
    if (job.status === "done") {
      setStatus(`Brief ready: ${job.question}`);
      renderBrief(job);
    } else if (job.status === "failed") {
      $("brief").hidden = true;
      setStatus(`This brief failed: ${job.error || "unknown error"}`);
    } else {
      $("brief").hidden = true;
      follow(job);
    }
  }

  function follow(job) {
    setStatus(`Writing the brief: ${job.question}`);
    Object.assign($("progress-box"), {hidden: false, open: true});
    const source = new EventSource(`/api/briefs/${encodeURIComponent(job.id)}/events`);
    stream = source;
    source.addEventListener("stage", (event) => {
      const data = JSON.parse(event.data);
      $("progress").append(el("li", null, el("span", {class: "stage"}, data.stage), " ", data.detail));
    });
    const finish = (event) => {
      source.close();
      if (stream === source) stream = null;
      const data = JSON.parse(event.data);
      $("progress-box").open = false; // folded away once finished; the steps stay readable
      loadHistory();
      if (data.status === "done") showJob(job.id, true);
      else setStatus(`The brief failed: ${data.error || "unknown error"}`);
    };
    source.addEventListener("done", finish);
    source.addEventListener("failed", finish);
  }

  // -- the brief ----------------------------------------------------------------------------------
  function sourceOf(n) {
    return current.brief.sources.find((s) => s.n === n);
  }

  function citeButtons(numbers, context) {
    return numbers.map((n) => {
      const src = sourceOf(n);
      const label = `Source ${n}${src && (src.title || src.outlet) ? ": " + (src.title || src.outlet) : ""}`;
      return [" ", el("button", {type: "button", class: "cite", "aria-label": label, title: label,
                                 onclick: (e) => openCitation(n, context, e.currentTarget)}, `[${n}]`)];
    });
  }

  function sentences(list) {
    return el("p", null, list.map((s, i) => [
      i ? " " : "",
      el("span", {class: s.verdict === "supported" || s.verdict === "partial" ? "" : "unsupported"}, s.text),
      s.verdict === "supported" || s.verdict === "partial" ? "" : el("em", {class: "small"}, ` (${s.verdict})`),
      citeButtons(s.citations, s.text),
    ]));
  }

  function actorTable(actors) {
    const cols = ["Position", "Stated reasons", "Sources"];
    return el("div", {class: "table-wrap"}, el("table", {class: "actors"},
      el("caption", null, "Actors, their positions and stated reasons"),
      el("thead", null, el("tr", null, ["Actor", ...cols].map((h) => el("th", {scope: "col"}, h)))),
      el("tbody", null, actors.map((a) => el("tr", null,
        el("th", {scope: "row"}, a.name),
        el("td", {"data-label": cols[0]}, a.position),
        el("td", {"data-label": cols[1]}, a.reasons.length ? a.reasons.join("; ") : "—"),
        el("td", {"data-label": cols[2]}, citeButtons(a.citations, `${a.name} ${a.reasons.join(" ")}`)))))));
  }

  function exportBar(id) {
    const link = (fmt, label) => el("a", {class: "button secondary", download: "",
      href: `/api/briefs/${encodeURIComponent(id)}/export?format=${fmt}`}, label);
    return el("nav", {class: "exports", "aria-label": "Export this brief"}, "Export: ",
      link("md", "Markdown"), " ", link("html", "HTML"), " ", link("json", "JSON"));
  }

  function renderBrief(job) {
    const b = job.brief;
    current = {id: job.id, brief: b};
    const art = $("brief");
    art.replaceChildren(el("h2", {id: "brief-title", tabindex: "-1"}, b.question),
      el("p", {class: "meta"}, `Written ${fmtDate(b.generated_at)}`), exportBar(job.id));
    if (!b.enough_evidence) {
      art.append(el("p", {class: "warn"}, el("strong", null, "Not enough evidence in the corpus to answer this question.")),
        el("ul", null, b.limits.map((x) => el("li", null, x))));
    } else {
      const summary = b.sections.find((s) => s.heading === SUMMARY);
      const bottom = b.sections.find((s) => s.heading === BOTTOM);
      let n = 0;
      if (summary) art.append(el("h3", null, "Executive summary"), sentences(summary.sentences));
      for (const section of b.sections.filter((s) => s.heading !== SUMMARY && s.heading !== BOTTOM)) {
        n += 1;
        art.append(el("h3", null, `${n}. ${section.heading}`), sentences(section.sentences));
        if (n === 1 && b.actors.length) art.append(actorTable(b.actors));
      }
      if (b.disputes.length) {
        n += 1;
        art.append(el("h3", null, `${n}. Competing narratives`), el("ul", null, b.disputes.map((d) =>
          el("li", null, d.summary, el("ul", null, d.sides.map((side) =>
            el("li", null, side.text, citeButtons(side.citations, side.text))))))));
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
      art.append(el("h3", null, "Sources"), el("ol", {class: "sources"}, b.sources.map((s) => el("li", {value: s.n, id: `src-${s.n}`},
        el("button", {type: "button", class: "link", onclick: (e) => openCitation(s.n, "", e.currentTarget)},
          s.title || s.url || s.path || "Untitled"),
        " — ", [s.outlet, s.published].filter(Boolean).join(", ") || "no outlet or date",
        safeUrl(s.url) ? [" ", el("a", {href: safeUrl(s.url), rel: "noopener noreferrer"}, "link")] : ""))));
    }
    art.hidden = false;
    $("brief-title").focus();
  }

  // -- the side panel -----------------------------------------------------------------------------
  function words(text) {
    return new Set((String(text).toLowerCase().match(/[\p{L}\p{N}]+/gu) || []));
  }

  // The quote of a source that best matches the citing sentence (Jaccard overlap of words).
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

  // The passage around a quote: about 400 characters either side, cut at sentence ends.
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

  function metaLine(doc) {
    const parts = [doc.outlet, doc.author, doc.published].filter(Boolean).join(" · ");
    const url = safeUrl(doc.url);
    return [parts || "No outlet or date recorded", url ? [" · ", el("a", {href: url, rel: "noopener noreferrer"}, url)] : ""];
  }

  function openPanel(from, title, meta) {
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

  async function openCitation(n, context, from) {
    const src = sourceOf(n);
    if (!src) return;
    const quotes = src.passages || [];
    openPanel(from, `[${n}] ${src.title || src.url || "Untitled source"}`, metaLine(src));
    let doc;
    try {
      doc = await api(`/api/sources/${encodeURIComponent(src.doc_id)}`);
    } catch (err) {
      fill($("panel-body"), el("p", {class: "error"}, `Could not load the document: ${err.message}`),
        quotes.map((q) => el("blockquote", {class: "passage"}, el("mark", null, q.quote))));
      return;
    }
    const show = (index) => {
      const others = quotes.map((q, i) => i === index ? null : el("li", null,
        el("button", {type: "button", class: "link", onclick: () => show(i)}, q.quote)));
      fill($("panel-body"), passageView(doc.text, quotes[index]),
        others.some(Boolean) ? [el("h3", null, "Other passages the brief cites from this source"), el("ul", null, others)] : []);
    };
    if (quotes.length) show(bestQuote(quotes, context));
    else $("panel-body").replaceChildren(el("div", {class: "doctext"}, doc.text));
  }

  async function openDocument(meta, from) {
    openPanel(from, meta.title || meta.url || "Untitled document", metaLine(meta));
    try {
      const doc = await api(`/api/sources/${encodeURIComponent(meta.doc_id)}`);
      $("panel-body").replaceChildren(el("div", {class: "doctext"}, doc.text));
    } catch (err) {
      $("panel-body").replaceChildren(el("p", {class: "error"}, `Could not load the document: ${err.message}`));
    }
  }

  $("panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !$("panel").hidden) { event.preventDefault(); closePanel(); }
  });

  // -- history and sources ------------------------------------------------------------------------
  async function loadHistory() {
    const list = $("history-list");
    try {
      const jobs = await api("/api/briefs");
      list.replaceChildren(...jobs.map((j) => el("li", null,
        el("button", {type: "button", class: "link", onclick: () => showJob(j.id)}, j.question), " ",
        el("span", {class: `badge ${j.status}`}, j.status), " ",
        el("time", {datetime: j.created, class: "muted small"}, fmtDate(j.created)))));
      if (!jobs.length) list.append(el("li", {class: "muted"}, "No briefs yet."));
    } catch (err) {
      list.replaceChildren(el("li", {class: "error"}, `Could not load the history: ${err.message}`));
    }
  }

  async function loadSources() {
    const body = document.querySelector("#source-table tbody");
    try {
      const docs = await api("/api/sources");
      $("source-count").textContent = `${docs.length} document${docs.length === 1 ? "" : "s"} in the corpus.`;
      body.replaceChildren(...docs.map((d) => el("tr", null,
        el("td", null, el("button", {type: "button", class: "link", onclick: (e) => openDocument(d, e.currentTarget)},
          d.title || d.url || "Untitled")),
        el("td", null, d.outlet || "—"), el("td", {class: "nowrap"}, d.published || "—"),
        el("td", null, d.duplicate_of ? `near-duplicate of ${d.duplicate_of.slice(0, 8)}` : ""))));
    } catch (err) {
      $("source-count").textContent = `Could not load the sources: ${err.message}`;
    }
  }

  $("upload-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const files = $("files").files;
    if (!files.length) { $("upload-status").textContent = "Choose one or more files first."; return; }
    const data = new FormData();
    for (const file of files) data.append("files", file, file.name);
    data.append("csrf_token", csrf);
    $("upload-button").disabled = true;
    $("upload-status").textContent = "Uploading and ingesting…";
    try {
      const report = await api("/api/sources", {method: "POST", body: data, headers: {"X-CSRF-Token": csrf}});
      const counts = {};
      report.outcomes.forEach((o) => { counts[o.status] = (counts[o.status] || 0) + 1; });
      $("upload-status").textContent = "Done: " + Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(", ") + ".";
      $("upload-results").replaceChildren(...report.outcomes.map((o) => el("li", {class: o.status},
        el("strong", null, o.status), " ", o.name, o.reason ? ` — ${o.reason}` : "")));
      $("upload-form").reset();
      loadSources();
    } catch (err) {
      $("upload-status").textContent = `Upload failed: ${err.message}`;
    } finally {
      $("upload-button").disabled = false;
    }
  });

  loadHistory();
  loadSources();
  const match = /^#brief=([\w-]+)$/.exec(location.hash);
  if (match) showJob(match[1]);
})();
