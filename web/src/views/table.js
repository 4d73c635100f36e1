// The event table: the matching events a page at a time (GET /events), each row one click from the
// article that reports it. Page and sort live in the URL (page is 1-based) like the filters.
import { h, replace, notice, formatNumber, QUAD_NAMES, QUAD_COLORS } from "../dom.js";
import "./table.css";

const LIMIT = 25;
const SORTS = ["date", "-date", "confidence", "-confidence", "type"];

// Header key -> [label, the sort it sets first, the sort a second click sets]
const SORTABLE = {
  date: ["Date", "-date", "date"],
  type: ["Event", "type", "type"],
  confidence: ["Conf.", "-confidence", "confidence"],
};

export function createTable(el, ctx) {
  const run = ctx.latest();
  let shownKey = null;

  return {
    async update(state) {
      const page = Math.max(1, Number.parseInt(state.page, 10) || 1);
      // latest first by default: an analyst opens on what just happened, not on 1991
      const sort = SORTS.includes(state.sort) ? state.sort : "-date";
      const params = ctx.filterParams(state);
      params.set("limit", String(LIMIT));
      params.set("offset", String((page - 1) * LIMIT));
      params.set("sort", sort);
      const key = params.toString();
      if (key === shownKey) return; // another view's keys changed, not ours
      shownKey = key;
      if (!el.querySelector("table, .events-empty")) notice(el, "Loading events\u2026");
      el.classList.add("is-loading");
      let data;
      try {
        data = await run((signal) => ctx.api("/events", params, { signal }));
      } catch (err) {
        shownKey = null;
        el.classList.remove("is-loading");
        notice(el, `Could not load events: ${err.message}`, "error");
        return;
      }
      if (data === undefined) return; // superseded by a newer request
      el.classList.remove("is-loading");
      render(el, ctx, data, page, sort);
    },
  };
}

function render(el, ctx, data, page, sort) {
  const title = h("h2", {}, "Events",
    h("small", {}, h("span", { "data-testid": "events-total" }, formatNumber(data.total)),
      data.total === 1 ? " event" : " events"));
  if (data.total === 0) {
    replace(el, title, h("p", { class: "notice events-empty", "data-testid": "events-empty" },
      "No events match these filters. Remove a filter above to see more."));
    return;
  }
  const first = data.offset + 1;
  const last = data.offset + data.events.length;
  const body = data.events.length
    ? data.events.map((r) => row(r, ctx))
    : h("tr", {}, h("td", { colspan: 9, class: "notice events-empty" },
      `Page ${page} is past the last page of events.`));
  replace(el,
    title,
    h("div", { class: "events-scroll" },
      h("table", { class: "events-table" },
        h("thead", {}, h("tr", {},
          header("date", sort, ctx), header("type", sort, ctx), h("th", {}, "Modality"),
          h("th", {}, "Actors \u2192 recipients"), h("th", {}, "Place"), h("th", {}, "Numbers"),
          h("th", {}, "Trigger"), h("th", {}, "Article"), header("confidence", sort, ctx))),
        h("tbody", {}, body))),
    pager(ctx, data, page, first, last));
}

function header(key, sort, ctx) {
  const [label, firstSort, secondSort] = SORTABLE[key];
  const active = sort === firstSort || sort === secondSort;
  const next = sort === firstSort ? secondSort : firstSort;
  const descending = sort.startsWith("-");
  const arrow = !active ? "" : key === "type" ? " \u25b4" : descending ? " \u25be" : " \u25b4";
  return h("th", { "aria-sort": active ? (descending ? "descending" : "ascending") : "none" },
    h("button", {
      type: "button", class: `sort${active ? " active" : ""}`, "data-testid": `events-sort-${key}`,
      title: `Sort by ${label.toLowerCase()}`,
      onclick: () => ctx.setView({ sort: next, page: null }),
    }, label, arrow));
}

function pager(ctx, data, page, first, last) {
  const lastPage = Math.max(1, Math.ceil(data.total / LIMIT));
  const go = (p) => ctx.setView({ page: p > 1 ? p : null });
  return h("div", { class: "events-pager" },
    h("button", { type: "button", "data-testid": "events-prev", disabled: page <= 1,
      onclick: () => go(Math.min(page - 1, lastPage)) }, "\u2190 Previous"),
    h("span", { "data-testid": "events-range" },
      data.events.length
        ? `rows ${formatNumber(first)}\u2013${formatNumber(last)} of ${formatNumber(data.total)}`
        : `no rows on page ${page} of ${lastPage}`),
    h("button", { type: "button", "data-testid": "events-next", disabled: last >= data.total || page >= lastPage,
      onclick: () => go(page + 1) }, "Next \u2192"));
}

function row(r, ctx) {
  const open = () => ctx.setView({ view: "article", id: r.article_id, event: r.id });
  const unusual = r.modality && r.modality !== "asserted";
  return h("tr", {
    class: `clickable${unusual ? " modality-other" : ""}`, "data-testid": "event-row", "data-id": r.id,
    tabindex: 0, title: r.evidence?.text || undefined,
    onclick: open,
    onkeydown: (ev) => { if (ev.key === "Enter") open(); },
  },
  h("td", { class: "nowrap" }, dateText(r.date)),
  h("td", {}, eventType(r)),
  h("td", {}, h("span", { class: unusual ? "modality-badge" : "muted" }, r.modality || "")),
  h("td", {}, parties(r)),
  h("td", {}, place(r.location)),
  h("td", {}, (r.quantities || []).map((q) => h("div", { class: "nowrap" }, quantity(q)))),
  h("td", {}, r.trigger?.text ? h("q", {}, r.trigger.text) : ""),
  h("td", { class: "article-id" }, r.article_id),
  h("td", { class: "num" }, typeof r.confidence === "number" ? r.confidence.toFixed(2) : ""));
}

function dateText(date) {
  if (!date || !date.value) return h("span", { class: "muted" }, "undated");
  const coarse = date.granularity && date.granularity !== "day";
  // where the date came from: the words in the text, or (with no words) e.g. the publication date
  const source = date.text ? `"${date.text}"${date.basis ? ` (${date.basis})` : ""}` : date.basis ? `from the ${date.basis} date` : undefined;
  return h("span", { title: source },
    date.value, coarse ? h("span", { class: "muted" }, ` (${date.granularity})`) : null);
}

function eventType(r) {
  const swatch = h("span", { class: "swatch", title: QUAD_NAMES[r.quad] || "" });
  if (QUAD_COLORS[r.quad]) swatch.style.background = QUAD_COLORS[r.quad];
  return h("span", { class: "nowrap" }, swatch, h("b", {}, r.event_type || "?"),
    r.mode ? h("span", { class: "muted" }, ` ${r.mode}`) : null);
}

function entity(a) {
  const name = a.name || a.text || "?";
  return h("span", { class: "party" }, name, a.country ? h("span", { class: "code" }, a.country) : null);
}

function list(items) {
  if (!items || !items.length) return h("span", { class: "muted" }, "\u2014");
  return items.flatMap((a, i) => (i ? [", ", entity(a)] : [entity(a)]));
}

function parties(r) {
  return h("span", {}, list(r.actors), h("span", { class: "arrow" }, " \u2192 "), list(r.recipients));
}

function place(loc) {
  if (!loc) return h("span", { class: "muted" }, "\u2014");
  const name = loc.name || loc.text || "?";
  return h("span", {}, name, loc.country ? h("span", { class: "code" }, loc.country) : null);
}

function quantity(q) {
  const value = typeof q.value === "number" ? formatNumber(q.value) : String(q.value ?? "?");
  return `${q.kind}=${q.approximate ? "~" : ""}${value}${q.unit ? ` ${q.unit}` : ""}`;
}
