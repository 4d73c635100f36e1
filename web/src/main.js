// The explorer: a filter bar shared by every view, and the view the URL names.
import "./style.css";
import { api, latest } from "./api.js";
import { h, replace, formatNumber, notice, QUAD_NAMES } from "./dom.js";
import { FILTER_KEYS, filterParams, hrefFor, interceptLinks, notify, setFilters, setView, subscribe } from "./state.js";
import { createTimeline } from "./views/timeline.js";
import { createMap } from "./views/map.js";
import { createNetwork } from "./views/network.js";
import { createTable } from "./views/table.js";
import { createArticle } from "./views/article.js";
import { createStories } from "./views/stories.js";
import { createTalks } from "./views/talks.js";

const ctx = { api, latest, setFilters, setView, hrefFor, filterParams };

const FILTER_FIELDS = [
  // [key, label, input attributes]
  ["text", "Words", { type: "search", placeholder: "e.g. ceasefire" }],
  ["type", "Event type", { list: "event-types", placeholder: "e.g. ASSAULT,PROTEST" }],
  ["quad", "Quad class", { select: [["", "any"], ...Object.entries(QUAD_NAMES).map(([q, n]) => [q, `${q} ${n}`])] }],
  ["actor", "Actor", { placeholder: "e.g. ISR or a name" }],
  ["recipient", "Recipient", { placeholder: "e.g. PSE or a name" }],
  ["country", "Either side", { placeholder: "code or name" }],
  ["place", "Place", { placeholder: "e.g. Gaza" }],
  ["since", "From", { placeholder: "YYYY-MM-DD" }],
  ["until", "To", { placeholder: "YYYY-MM-DD" }],
  ["modality", "Modality", { select: [["", "any"], ["asserted", "asserted"], ["future", "future"], ["hypothetical", "hypothetical"], ["negated", "negated"]] }],
];

function buildFilterForm(form, eventTypes) {
  const fields = FILTER_FIELDS.map(([key, label, attrs]) => {
    const id = `filter-${key}`;
    let input;
    if (attrs.select) {
      input = h("select", { id, name: key, "data-testid": id }, attrs.select.map(([v, t]) => h("option", { value: v }, t)));
    } else {
      const { select, ...rest } = attrs;
      input = h("input", { id, name: key, "data-testid": id, ...rest });
    }
    return h("label", { class: "field", for: id }, h("span", {}, label), input);
  });
  replace(form,
    fields,
    h("datalist", { id: "event-types" }, eventTypes.map((t) => h("option", { value: t }))),
    h("button", { type: "submit", "data-testid": "apply-filters" }, "Apply"),
    h("button", { type: "button", "data-testid": "clear-filters", onclick: () => setFilters(Object.fromEntries(FILTER_KEYS.map((k) => [k, null]))) }, "Clear"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const patch = {};
    for (const [key] of FILTER_FIELDS) patch[key] = form.elements[key].value.trim() || null;
    setFilters(patch);
  });
  form.addEventListener("change", (event) => {
    if (event.target.tagName === "SELECT") form.requestSubmit();
  });
}

function syncFilterForm(form, state) {
  for (const [key] of FILTER_FIELDS) {
    const input = form.elements[key];
    if (input && document.activeElement !== input) input.value = state.filters[key] || "";
  }
}

function renderChips(el, state) {
  const entries = Object.entries(state.filters);
  replace(el, entries.map(([key, value]) =>
    h("span", { class: "chip", "data-testid": "filter-chip", "data-key": key },
      h("b", {}, key), " ", value,
      h("button", { type: "button", title: `remove the ${key} filter`, "aria-label": `remove the ${key} filter`,
        onclick: () => setFilters({ [key]: null }) }, "\u00d7"))));
}

const EXPORT_FORMATS = [["csv", "CSV"], ["jsonl", "JSON Lines"], ["parquet", "Parquet"]];

/** Download links for exactly the events the filters show, in the columns of `lapwing export`. */
function renderExport(el, state) {
  const params = filterParams(state).toString();
  replace(el, h("span", {}, "Export these events:"), EXPORT_FORMATS.map(([format, label]) =>
    h("a", { href: `/export?format=${format}${params ? `&${params}` : ""}`, download: "",
      "data-testid": `export-${format}` }, label)));
}

/** The skip link moves the keyboard focus past the filters and charts to the view's results. */
function skipLink(link) {
  link.addEventListener("click", (event) => {
    event.preventDefault(); // no #fragment in the URL: the state is in the query string
    const target = document.getElementById("results");
    if (!target) return;
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start" });
  });
}

/** On a phone the filter form folds behind a button saying how many filters are on. */
function foldableFilters(button, form) {
  button.addEventListener("click", () => {
    const open = !form.classList.contains("open");
    form.classList.toggle("open", open);
    button.setAttribute("aria-expanded", String(open));
    if (open) form.querySelector("input, select")?.focus();
  });
  return (state) => {
    const n = Object.keys(state.filters).length;
    button.textContent = n ? `Filters (${n} on)` : "Filters";
  };
}

function dashboard(root) {
  const timeline = h("section", { class: "panel panel-timeline", "data-testid": "timeline" });
  const map = h("section", { class: "panel panel-map", "data-testid": "map" });
  const network = h("section", { class: "panel panel-network", "data-testid": "network" });
  // id "results": the skip link's target (every view names its main content so)
  const table = h("section", { class: "panel panel-table", "data-testid": "events", id: "results", tabindex: -1 });
  replace(root, h("div", { class: "dashboard" }, timeline, h("div", { class: "row" }, map, network), table));
  const views = [createTimeline(timeline, ctx), createMap(map, ctx), createNetwork(network, ctx), createTable(table, ctx)];
  return { update: (state) => views.forEach((v) => v.update(state)) };
}

const ROUTES = {
  dashboard,
  article: (root) => createArticle(root, ctx),
  stories: (root) => createStories(root, ctx),
  story: (root) => createStories(root, ctx),
  talks: (root) => createTalks(root, ctx),
  talk: (root) => createTalks(root, ctx),
};

async function start() {
  const root = document.getElementById("app");
  const form = document.querySelector("form.filters");
  const chips = document.querySelector(".chips");
  const exportLinks = document.querySelector(".export");
  interceptLinks(document.body);
  skipLink(document.querySelector(".skip-link"));
  const labelFilters = foldableFilters(document.querySelector(".filters-toggle"), form);

  let health;
  try {
    health = await api("/health");
  } catch (err) {
    notice(root, `Cannot reach the Lapwing API: ${err.message}`, "error");
    return;
  }
  const store = health.store;
  replace(document.querySelector(".store-summary"),
    `${formatNumber(store.articles)} articles, ${formatNumber(store.events)} events`);
  const types = await api("/stats").then((s) => Object.keys(s.by_event_type || {}).sort()).catch(() => []);
  buildFilterForm(form, types);

  let routeName = null;
  let route = null;
  subscribe((state) => {
    const name = ROUTES[state.view] ? state.view : "dashboard";
    // stories and story share one view object, as do talks and talk
    const family = { story: "stories", talk: "talks" }[name] || name;
    if (family !== routeName) {
      routeName = family;
      route = ROUTES[name](root);
    }
    document.querySelectorAll("nav.tabs a").forEach((a) => {
      a.classList.toggle("active", a.dataset.view === family || (family === "article" && a.dataset.view === "dashboard"));
      // The tabs keep the filters, like every other link in the explorer.
      a.setAttribute("href", hrefFor(a.dataset.view === "dashboard" ? {} : { view: a.dataset.view }));
    });
    syncFilterForm(form, state);
    labelFilters(state);
    renderChips(chips, state);
    renderExport(exportLinks, state);
    route.update(state);
  });
  notify();
}

start();
