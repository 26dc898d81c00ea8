// The Watched view: watched questions, a watch's history, and the cited change list between two versions.
// Read-only (running a watch is `citebrief watch run`). Data enters the DOM as text only, as in app.js.
"use strict";

(() => {
  const page = window.citebrief;
  if (!page || document.body.dataset.share) return; // a share link shows one brief and nothing else
  const {el, fill, getJson, fmtDate, shorten, hostOf, showCard, hideCard, openCitation} = page;
  const $ = (id) => document.getElementById(id);
  const SIDE = {old: "Earlier brief", new: "Later brief"};

  function nameFromLocation() {
    const m = /^\/watches\/([\w-]+)\/?$/.exec(location.pathname);
    return m ? decodeURIComponent(m[1]) : null;
  }

  async function loadWatches() {
    const body = $("watched-table").tBodies[0];
    try {
      const rows = await getJson("/api/watches");
      fill(body, rows.map((w) => el("tr", null,
        el("th", {scope: "row"}, el("a", {href: `/watches/${encodeURIComponent(w.name)}`, onclick: (e) => {
          e.preventDefault();
          history.pushState({watch: w.name}, "", `/watches/${encodeURIComponent(w.name)}`);
          showWatch(w.name);
        }}, w.name)),
        el("td", {"data-label": "Question"}, shorten(w.question, 160)),
        el("td", {"data-label": "Versions"}, String(w.versions)),
        el("td", {"data-label": "Last run"}, w.latest_at ? el("time", {datetime: w.latest_at}, fmtDate(w.latest_at))
          : "never run"))));
      $("watched-status").textContent = rows.length ? "" :
        "Nothing is watched yet. Add a question with citebrief watch add QUESTION, then citebrief watch run.";
    } catch (err) {
      $("watched-status").textContent = `Could not load the watched questions: ${err.message}`;
    }
  }

  // [old n] / [new n]: the card and the panel show source n of that brief, with the quote behind the line.
  function cites(list, mention, sources) {
    return list.map((c) => {
      const src = sources[c.brief].find((s) => s.n === c.n);
      const label = `[${c.brief} ${c.n}]`;
      if (!src) return [" ", label];
      const passages = src.passages || [];
      const spans = (mention.quotes || []).map((q) => Object.assign({n: c.n},
        passages.find((p) => p.quote === q) || {quote: q}));
      const context = [mention.text, ...(mention.quotes || [])].join(" ");
      return [" ", el("button", {type: "button", class: "cite",
        "aria-label": `${SIDE[c.brief]}, source ${c.n}: ${src.title || src.outlet || hostOf(src.url) || "untitled"}`,
        onclick: (e) => openCitation(c.n, spans, context, e.currentTarget, src, label),
        onmouseenter: (e) => showCard(c.n, spans, e.currentTarget, src),
        onfocus: (e) => showCard(c.n, spans, e.currentTarget, src),
        onmouseleave: hideCard, onblur: hideCard}, label)];
    });
  }

  function mention(m, sources) {
    return [m.text, m.date ? ` (${m.date})` : "", cites(m.citations, m, sources)];
  }

  function quoteLine(m, label, sources) {
    if (!m.quotes || !m.quotes.length) return "";
    return el("li", {class: "change-quote"}, label ? `${label}: ` : "", el("q", null, shorten(m.quotes[0], 320)),
      cites(m.citations, m, sources));
  }

  function changeItem(c, sources) {
    const one = c.new[0] || c.old[0];
    switch (c.kind) {
      case "stance-changed":
        return el("li", null, el("strong", null, c.subject), ": ", mention(c.old[0], sources), " → ",
          mention(c.new[0], sources), el("ul", null, quoteLine(c.old[0], "before", sources),
            quoteLine(c.new[0], "now", sources)));
      case "new-actor": case "actor-gone":
        return el("li", null, el("strong", null, c.subject), ": ", mention(one, sources),
          el("ul", null, quoteLine(one, "", sources)));
      case "new-dispute": case "resolved-dispute":
        return el("li", null, c.subject, el("ul", null, (c.new.length ? c.new : c.old).map((side) =>
          el("li", null, side.text, cites(side.citations, side, sources)))));
      case "new-source": case "source-gone":
        return el("li", null, c.subject, one.date ? ` (${one.date})` : "", cites(one.citations, one, sources));
      default:
        return el("li", null, one.text, cites(one.citations, one, sources));
    }
  }

  function sourceList(side, rows, version) {
    if (!rows.length) return "";
    return [el("h4", null, `${SIDE[side]}, version ${version.version} (${fmtDate(version.created_at)})`),
      el("ul", {class: "sources"}, rows.map((s) => el("li", null, `[${side} ${s.n}] `,
        s.title || hostOf(s.url) || "Untitled", " — ", [s.outlet, s.published].filter(Boolean).join(", ") ||
        "no outlet or date")))];
  }

  async function showDiff(name, a, b, box) {
    fill(box, el("p", {class: "muted"}, "Comparing…"));
    let d;
    try {
      d = await getJson(`/api/watches/${encodeURIComponent(name)}/diff?a=${a}&b=${b}`);
    } catch (err) {
      fill(box, el("p", {class: "error"}, `Could not compare: ${err.message}`));
      return;
    }
    const sources = {old: d.briefs.old.sources, new: d.briefs.new.sources};
    const groups = Object.entries(d.headings).map(([kind, heading]) => {
      const items = d.changes.filter((c) => c.kind === kind);
      return items.length ? [el("h4", null, heading), el("ul", {class: "changes"}, items.map((c) => changeItem(c, sources)))] : "";
    });
    fill(box, el("h3", {id: "changes-title", tabindex: "-1"},
      `What changed from version ${d.old.version} to version ${d.new.version}`),
      el("p", {class: "muted small"}, `[old n] is source n of version ${d.old.version} (${fmtDate(d.old.created_at)}), ` +
        `[new n] of version ${d.new.version} (${fmtDate(d.new.created_at)}). Select one to read the passage.`),
      d.changes.length ? groups : el("p", null, "No change: the same actors and positions, disputes, key facts and sources."),
      d.uncited ? el("p", {class: "muted small"}, `${d.uncited} change(s) left out: neither brief cites anything for them.`) : "",
      (d.sources.old.length || d.sources.new.length) ? [el("h4", null, "Sources"),
        sourceList("old", d.sources.old, d.old), sourceList("new", d.sources.new, d.new)] : "");
  }

  function versionPicker(id, label, versions, chosen) {
    return [el("label", {for: id}, label), el("select", {id}, versions.map((v) =>
      el("option", {value: v.version, selected: v.version === chosen}, `Version ${v.version} (${fmtDate(v.created_at)})`)))];
  }

  async function showWatch(name) {
    const art = $("watch");
    fill(art, el("p", {class: "muted"}, "Loading…"));
    art.hidden = false;
    let w;
    try {
      w = await getJson(`/api/watches/${encodeURIComponent(name)}`);
    } catch (err) {
      fill(art, el("h2", {id: "watch-title", tabindex: "-1"}, `Watch ${name}`),
        el("p", {class: "error"}, `Could not load it: ${err.message}`));
      return;
    }
    const versions = w.versions;
    const changes = el("div", {id: "watch-changes", class: "watch-changes"});
    fill(art, el("h2", {id: "watch-title", tabindex: "-1"}, `Watch ${w.name}`),
      el("p", {class: "question-full"}, el("span", {class: "muted"}, "Question: "), w.question),
      el("h3", null, "History"),
      versions.length ? el("ol", {class: "versions"}, versions.map((v) => el("li", {value: v.version},
        `Version ${v.version}, `, el("time", {datetime: v.created_at}, fmtDate(v.created_at)),
        ` — ${v.actors} actor(s), ${v.sources} source(s)`, v.enough_evidence ? "" : ", not enough evidence")))
        : el("p", null, `No brief yet: run citebrief watch run ${w.name}.`),
      versions.length > 1 ? el("form", {class: "compare", onsubmit: (e) => {
        e.preventDefault();
        showDiff(w.name, $("compare-a").value, $("compare-b").value, changes);
      }}, versionPicker("compare-a", "Earlier version", versions, versions[versions.length - 2].version), " ",
      versionPicker("compare-b", "Later version", versions, versions[versions.length - 1].version), " ",
      el("button", {type: "submit", class: "secondary"}, "Show what changed"))
        : versions.length ? el("p", {class: "muted"}, `One version so far: run citebrief watch run ${w.name} again to see what changed.`) : "",
      changes);
    $("watch-title").focus();
    if (versions.length > 1) {
      await showDiff(w.name, versions[versions.length - 2].version, versions[versions.length - 1].version, changes);
    }
  }

  function route() {
    const name = nameFromLocation();
    if (name) showWatch(name);
    else $("watch").hidden = true;
  }
  window.addEventListener("popstate", route);
  loadWatches();
  route();
})();
