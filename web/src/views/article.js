// The article view: the text with one event's spans highlighted, the article's events beside it, and
// the selected event's coded record, so an analyst can check every field against the words.
//
// Selection: when the URL names no event, the first event in reading order is selected and the URL
// is updated in place (history.replaceState, so Back still returns to where the analyst came from).
// Only the selected event's spans are <mark>ed; the other events' triggers are underlined faintly and
// can be clicked to select that event.
import { h, replace, notice, formatNumber, QUAD_NAMES, QUAD_COLORS } from "../dom.js";
import { recordView } from "./record.js";
import "./article.css";

// Outer to inner: when two spans cover the same words, the earlier role is the enclosing mark.
export const ROLES = ["attribution", "actor", "recipient", "place", "date", "quantity", "trigger"];
const ROLE_LABELS = {
  trigger: "trigger", actor: "actor", recipient: "recipient", date: "date", place: "place",
  quantity: "number", attribution: "attributed to",
};
// Non-mark layers: the evidence sentence (outermost) and other events' triggers (innermost).
const ORDER = ["evidence", ...ROLES, "other"];

/** The spans of one event, each {role, start, end, title}; spans without offsets are left out. */
export function eventSpans(event) {
  const out = [];
  const add = (role, span, title) => {
    if (span && Number.isInteger(span.start) && Number.isInteger(span.end)) out.push({ role, start: span.start, end: span.end, title });
  };
  add("trigger", event.trigger, `trigger: ${event.event_type}${event.mode ? ` (${event.mode})` : ""}`);
  for (const a of event.actors || []) add("actor", a, `actor: ${partyLabel(a)}${a.sector ? `, ${a.sector}` : ""}`);
  for (const r of event.recipients || []) add("recipient", r, `recipient: ${partyLabel(r)}${r.sector ? `, ${r.sector}` : ""}`);
  if (event.date) add("date", event.date, `date: ${event.date.value ?? "unresolved"} (${event.date.granularity || "?"})`);
  if (event.location) add("place", event.location, `place: ${placeLabel(event.location)}`);
  for (const q of event.quantities || []) add("quantity", q, `number: ${quantityLabel(q)}`);
  if (event.attribution) add("attribution", event.attribution, `attributed to: ${event.attribution.name || event.attribution.text}`);
  return out;
}

/**
 * Nest possibly overlapping spans into a tree of non-crossing nodes: a span inside another becomes
 * its child (a number inside a recipient), and a span that crosses another's end is cut at that end,
 * the rest continuing as its own node (marked `continued`). Children are in text order.
 */
export function nestSpans(spans, length) {
  const rank = (s) => ORDER.indexOf(s.role);
  const before = (a, b) => a.start - b.start || b.end - a.end || rank(a) - rank(b);
  const pending = spans
    .map((s) => ({ ...s, start: Math.max(0, s.start), end: Math.min(length, s.end) }))
    .filter((s) => s.start < s.end)
    .sort(before);
  const root = { start: 0, end: length, children: [] };
  const stack = [root];
  while (pending.length) {
    const span = pending.shift();
    while (stack.length > 1 && stack[stack.length - 1].end <= span.start) stack.pop();
    const parent = stack[stack.length - 1];
    const node = { ...span, end: Math.min(span.end, parent.end), children: [] };
    if (span.end > parent.end) {
      const rest = { ...span, start: parent.end, continued: true };
      const at = pending.findIndex((p) => before(rest, p) < 0);
      pending.splice(at < 0 ? pending.length : at, 0, rest);
    }
    parent.children.push(node);
    stack.push(node);
  }
  return root;
}

/** DOM nodes for `chars` (an array of code points) between start and end, with node's children as elements. */
function renderNode(chars, node, start, end, makeElement) {
  const out = [];
  let cursor = start;
  for (const child of node.children) {
    if (child.start > cursor) out.push(chars.slice(cursor, child.start).join(""));
    out.push(makeElement(child, renderNode(chars, child, child.start, child.end, makeElement)));
    cursor = child.end;
  }
  if (end > cursor) out.push(chars.slice(cursor, end).join(""));
  return out;
}

/** A small square in the quad class's colour (set through the CSSOM: the CSP forbids style attributes). */
export function quadSwatch(quad) {
  const el = h("span", { class: "swatch", title: QUAD_NAMES[quad] || "" });
  el.style.background = QUAD_COLORS[quad] || "#999";
  return el;
}

export function partyLabel(p) {
  const name = p.name || p.text || "?";
  return p.country && p.country !== name ? `${name} (${p.country})` : name;
}

function placeLabel(loc) {
  return [loc.name || loc.text, loc.admin1, loc.country].filter(Boolean).join(", ");
}

export function quantityLabel(q) {
  const value = q.value === null || q.value === undefined ? "?" : formatNumber(q.value);
  return `${q.approximate ? "~" : ""}${value}${q.unit ? ` ${q.unit}` : ""} ${q.kind}`;
}

export function partiesLine(event) {
  const side = (list) => (list && list.length ? list.map(partyLabel).join(", ") : "\u2014");
  return `${side(event.actors)} \u2192 ${side(event.recipients)}`;
}

/** Only web links become links: a stored url with another scheme must never become a clickable link. */
function urlNode(url) {
  if (!url) return null;
  if (/^https?:\/\//i.test(url)) return h("a", { href: url, rel: "noopener noreferrer", target: "_blank", "data-testid": "article-url" }, url);
  return h("span", { class: "article-url-text", "data-testid": "article-url" }, url);
}

/** Scroll the box `pane` (not the page) so `child` sits `at` (a fraction) down from its top. */
function scrollWithin(pane, child, at) {
  const offset = child.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
  pane.scrollTop = Math.max(0, offset - pane.clientHeight * at);
}

/** An untitled article is named by its opening words, not by its hash. */
export function firstWords(text, max = 12) {
  const words = (text || "").trim().split(/\s+/).filter(Boolean);
  if (!words.length) return "";
  return words.length > max ? `${words.slice(0, max).join(" ")}\u2026` : words.join(" ");
}

export function createArticle(el, ctx) {
  const run = ctx.latest();
  let loadedId = null;   // the article whose data is in `data`
  let data = null;       // {article, events} or {error}
  let scrolledFor = null; // "article/event" already scrolled to, so re-renders do not jump

  const section = h("section", { class: "article-view", "data-testid": "article", id: "results", tabindex: -1 });
  replace(el, section);

  function backLink() {
    return h("a", { class: "article-back", href: ctx.hrefFor({}), "data-testid": "article-back" }, "\u2190 Back to the events");
  }

  let current = null;     // the latest state: a load that finishes renders this, not the state it began with

  async function update(state) {
    current = state;
    if (!state.id) {
      replace(section, backLink(), h("p", { class: "notice notice-error", "data-testid": "notice-error" }, "No article given: open one from the event table."));
      return;
    }
    if (state.id !== loadedId) {
      loadedId = state.id;
      data = null;
      scrolledFor = null;
      replace(section, backLink(), h("p", { class: "notice notice-info", "data-testid": "notice-info" }, "Loading the article\u2026"));
      try {
        const body = await run((signal) => ctx.api(`/articles/${encodeURIComponent(state.id)}`, {}, { signal }));
        if (body === undefined) return; // superseded by a newer update
        data = body;
      } catch (err) {
        data = { error: err.status === 404 ? `There is no article \u201c${state.id}\u201d in this store.` : `Could not load the article: ${err.message}` };
      }
    }
    if (data && current.id === loadedId) render(current);
  }

  function render(state) {
    if (data.error) {
      replace(section, backLink(), h("p", { class: "notice notice-error", "data-testid": "notice-error" }, data.error));
      return;
    }
    const { article, events } = data;
    let selected = events.find((e) => e.id === state.event) || null;
    let warning = null;
    if (state.event && !selected) warning = `Event ${state.event} is not one of this article's events; showing the first.`;
    if (!selected && events.length) {
      selected = events[0];
      // Reflect the default in the URL without a new history entry (Back leaves the article view).
      const params = new URLSearchParams(location.search);
      params.set("event", selected.id);
      history.replaceState(history.state, "", `/?${params}`);
    }

    const chars = Array.from(article.text || ""); // offsets count code points, as Python's do
    const spans = selected ? eventSpans(selected) : [];
    // Every sentence that tells the selected happening is shaded, not only its evidence sentence.
    const told = selected ? (selected.mentions?.length ? selected.mentions : [selected.evidence]) : [];
    for (const m of told) {
      if (Number.isInteger(m?.start)) spans.push({ role: "evidence", start: m.start, end: m.end });
    }
    for (const e of events) {
      if (e !== selected && Number.isInteger(e.trigger?.start)) spans.push({ role: "other", start: e.trigger.start, end: e.trigger.end, event: e });
    }
    const tree = nestSpans(spans, chars.length);
    const textEl = h("div", { class: "article-text", "data-testid": "article-text" },
      renderNode(chars, tree, 0, chars.length, (span, children) => {
        if (span.role === "evidence") return h("span", { class: "evidence", "data-testid": "mention", title: "a sentence that tells this happening" }, children);
        if (span.role === "other") {
          return h("span", { class: "other-trigger", "data-other-event": span.event.id, title: `${span.event.event_type}: click to select this event` }, children);
        }
        return h("mark", {
          "data-testid": "highlight", "data-role": span.role, "data-event": selected.id,
          class: `hl hl-${span.role}`, title: span.title, "data-continued": span.continued ? "true" : null,
        }, children);
      }));
    textEl.addEventListener("click", (event) => {
      const other = event.target.closest("[data-other-event]");
      if (other) ctx.setView({ event: other.dataset.otherEvent });
    });

    const title = article.title ? article.title
      : [h("span", { class: "untitled", title: `untitled article ${article.id}` }, "Untitled: "), firstWords(article.text) || article.id];
    const meta = [
      article.source && h("span", { "data-testid": "article-source" }, article.source),
      article.published && h("span", { "data-testid": "article-published" }, article.published),
      urlNode(article.url),
      h("span", { class: "muted" }, `id ${article.id}`),
    ].filter(Boolean);
    const present = new Set(spans.map((s) => s.role));
    const legend = h("div", { class: "legend article-legend", "data-testid": "article-legend" },
      ROLES.map((role) => h("span", { class: present.has(role) ? "" : "absent" }, h("mark", { class: `hl hl-${role}` }, ROLE_LABELS[role]))),
      h("span", {}, h("span", { class: "evidence" }, "sentences that tell it")),
      events.length > 1 ? h("span", {}, h("span", { class: "other-trigger" }, "other events")) : null);

    replace(section,
      h("div", { class: "article-head" },
        backLink(),
        h("h2", { class: "article-title", "data-testid": "article-title" }, title),
        h("div", { class: "article-meta" }, meta)),
      warning && h("p", { class: "notice notice-error", "data-testid": "notice-error" }, warning),
      h("div", { class: "article-body" },
        h("div", { class: "panel article-main" },
          h("h2", {}, "Text", h("small", {}, selected ? `${selected.event_type} highlighted` : "no events coded")),
          legend,
          textEl),
        h("div", { class: "panel article-side" },
          h("h2", {}, "Events", h("small", {}, `${events.length} in this article`)),
          eventList(events, selected),
          selected ? [
            h("h2", { class: "record-title" }, "Coded record", h("small", {}, selected.event_type)),
            recordView(selected),
          ] : h("p", { class: "notice" }, "The engine found no events in this article."))));

    // Bring the selected event into view, once per selection: its trigger inside the text pane
    // (and the pane in the window), and its entry inside the list of events.
    const key = `${article.id}/${selected?.id}`;
    if (selected && scrolledFor !== key) {
      scrolledFor = key;
      const mark = textEl.querySelector("mark[data-role='trigger']") || textEl.querySelector("mark");
      const item = section.querySelector(".article-events li.selected");
      // after layout: scroll positions measured before the browser has laid out the new nodes are 0
      requestAnimationFrame(() => requestAnimationFrame(() => {
        if (item) scrollWithin(item.parentElement, item, 0.2);
        if (!mark) return;
        scrollWithin(textEl, mark, 1 / 3);
        const box = mark.getBoundingClientRect();
        if (box.top < 0 || box.bottom > window.innerHeight) mark.scrollIntoView({ block: "center" });
      }));
    }
  }

  function eventList(events, selected) {
    return h("ol", { class: "article-events" }, events.map((e) => {
      const choose = () => ctx.setView({ event: e.id });
      const facts = [
        e.date?.value && `date ${e.date.value}`,
        e.location && `at ${e.location.name || e.location.text}`,
        ...(e.quantities || []).map(quantityLabel),
      ].filter(Boolean);
      return h("li", {
        class: e === selected ? "selected" : "", "data-testid": "article-event", "data-id": e.id,
        tabindex: 0, role: "button", "aria-pressed": e === selected ? "true" : "false",
        onclick: choose,
        onkeydown: (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); choose(); } },
      },
      h("div", { class: "ev-head" },
        quadSwatch(e.quad),
        h("b", {}, e.event_type), e.mode ? ` (${e.mode})` : "",
        h("span", { class: `modality modality-${e.modality}` }, e.modality),
        h("span", { class: "muted" }, `\u201c${e.trigger?.text ?? ""}\u201d`)),
      h("div", {}, partiesLine(e)),
      facts.length ? h("div", { class: "muted" }, facts.join(" \u00b7 ")) : null);
    }));
  }

  return { update };
}
