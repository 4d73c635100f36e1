// Stories: one happening, many reports. The list (view=stories) shows each story's type, dates and
// representative sentence with how many sources report it; a story (view=story&id=N) shows every
// report, why the engine joined it, and how the reports' numbers differ.
import { h, replace, notice, formatNumber } from "../dom.js";
import { partiesLine, quantityLabel, quadSwatch } from "./article.js";
import "./stories.css";

const PAGE = 50;
// The list's orders (GET /stories?sort=), latest first by default.
const ORDERS = { "-date": "latest first", "-reports": "most reports first", date: "earliest first" };
const DEFAULT_ORDER = "-date";
// The filters /stories understands; the others (actor, place, ...) select events, not stories.
const STORY_FILTERS = ["since", "until", "type"];

/** The event filters take YYYY, YYYY-MM or YYYY-MM-DD; /stories wants days: widen to the whole period. */
export function dayBound(value, end) {
  const m = /^(\d{4})(?:-(\d{2}))?$/.exec(value || "");
  if (!m) return value;
  if (!m[2]) return `${m[1]}-${end ? "12-31" : "01-01"}`;
  if (!end) return `${m[1]}-${m[2]}-01`;
  const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate(); // day 0 of the next month
  return `${m[1]}-${m[2]}-${String(last).padStart(2, "0")}`;
}

// The API's orders (lapwing.store.query.STORY_SORTS), for merging the answers for several types.
const byId = (x, y) => x.id - y.id;
const undatedLast = (x, y) => (x.first_date === null) - (y.first_date === null);
const ORDER_COMPARE = {
  date: (x, y) => undatedLast(x, y) || String(x.first_date).localeCompare(String(y.first_date)) || byId(x, y),
  "-date": (x, y) => undatedLast(x, y) || String(y.first_date).localeCompare(String(x.first_date))
    || String(x.last_date).localeCompare(String(y.last_date)) || byId(x, y),
  "-reports": (x, y) => y.events - x.events || y.sources - x.sources || ORDER_COMPARE["-date"](x, y),
};

function dateRange(first, last) {
  if (!first && !last) return "undated";
  if (!last || first === last) return first || last;
  return `${first} \u2013 ${last}`;
}

/** The evidence sentence with its trigger in bold, cut around the trigger when long. */
function sentence(event, max = 220) {
  const ev = event.evidence;
  const tr = event.trigger;
  if (!ev || !ev.text) return tr?.text || "";
  const chars = Array.from(ev.text); // offsets count code points
  let a = Number.isInteger(tr?.start) && Number.isInteger(ev.start) ? tr.start - ev.start : -1;
  let b = a >= 0 ? tr.end - ev.start : -1;
  if (a < 0 || b > chars.length || a >= b) {
    return chars.length > max ? `${chars.slice(0, max).join("")}\u2026` : ev.text;
  }
  let from = 0;
  let to = chars.length;
  if (to > max) {
    from = Math.max(0, Math.min(a - Math.floor(max / 3), to - max));
    to = Math.min(chars.length, from + max);
  }
  return [
    from > 0 ? "\u2026" : "", chars.slice(from, a).join(""),
    h("strong", { class: "story-trigger" }, chars.slice(a, b).join("")),
    chars.slice(b, to).join(""), to < chars.length ? "\u2026" : "",
  ];
}

function typeLabel(event, type) {
  return [quadSwatch(event?.quad), h("b", {}, type || event?.event_type || "?"), event?.mode ? ` (${event.mode})` : ""];
}

function value(n) {
  return n === null || n === undefined ? "?" : formatNumber(n);
}

/** Why a report joined its story, in words, from the reasons the API stores with each membership. */
function reasonsList(member, sourceOf) {
  const r = member.reasons || {};
  if (r.started) return h("p", { class: "story-why" }, "Started the story: no earlier report matched it closely enough.");
  const c = r.components || {};
  const gap = r.date_gap_days;
  const items = [
    r.type && `${r.type} type${r.types ? ` (${r.types.join(" / ")})` : ""}`,
    gap === null || gap === undefined ? "dates unknown" : gap === 0 ? "same dates" : `${gap} day(s) apart`,
    r.place,
    c.actors !== undefined && `actors ${c.actors.toFixed(2)} (${(r.shared_countries || []).join(", ") || "none shared"})`,
    c.names !== undefined && `names ${c.names.toFixed(2)}`,
    c.text !== undefined && `words ${c.text.toFixed(2)}`,
    ...Object.entries(r.numbers || {}).map(([kind, [a, b]]) => `${kind} ${value(a)} vs ${value(b)}`),
  ].filter(Boolean);
  const matched = r.matched_article ? sourceOf(r.matched_article) : r.matched_event;
  const score = typeof r.score === "number" ? r.score.toFixed(2) : value(member.score);
  const storyScore = typeof r.story_score === "number"
    ? ` (story score ${r.story_score.toFixed(2)} over ${r.members_compared} report(s) compared)` : "";
  return h("div", { class: "story-why" },
    h("span", {}, `Joined: score ${score} with the ${matched} report${storyScore}.`),
    h("ul", { class: "reason-chips" }, items.map((t) => h("li", {}, t))));
}

/** The list's own choices, kept in the URL so reload, links and Back keep them: `min_sources` (the
 * fewest sources a story must have), `page` (1-based, the same key as the event table's page, so
 * changing a filter brings the list back to its first page too) and `sort` (one of ORDERS).
 * Missing or invalid: 1, 1 and latest first. */
function listChoices(state) {
  const positive = (text) => {
    const n = Number(text);
    return Number.isInteger(n) && n >= 1 ? n : 1;
  };
  const sort = ORDERS[state.sort] ? state.sort : DEFAULT_ORDER;
  return { minSources: positive(state.min_sources), page: positive(state.page), sort };
}

export function createStories(el, ctx) {
  const run = ctx.latest();

  async function update(state) {
    if (state.view === "story") return showStory(state);
    return showList(state);
  }

  // -- the list ---------------------------------------------------------------------------------

  /** {total, stories} for one page, or undefined when superseded. */
  async function fetchList(state, { minSources, sort }, offset) {
    const params = { min_sources: minSources, sort };
    if (state.filters.since) params.since = dayBound(state.filters.since, false);
    if (state.filters.until) params.until = dayBound(state.filters.until, true);
    const types = (state.filters.type || "").split(",").map((t) => t.trim()).filter(Boolean);
    if (types.length <= 1) {
      if (types.length) params.type = types[0];
      return run((signal) => ctx.api("/stories", { ...params, limit: PAGE, offset }, { signal }));
    }
    // /stories takes one type: ask for each and merge in the same order as the API's.
    const bodies = await run((signal) => Promise.all(types.map((type) =>
      ctx.api("/stories", { ...params, type, limit: offset + PAGE, offset: 0 }, { signal }))));
    if (bodies === undefined) return undefined;
    const all = bodies.flatMap((b) => b.stories).sort(ORDER_COMPARE[sort]);
    return { total: bodies.reduce((n, b) => n + b.total, 0), stories: all.slice(offset, offset + PAGE) };
  }

  async function showList(state) {
    const choices = listChoices(state);
    const { minSources, page } = choices;
    const offset = (page - 1) * PAGE;
    const panel = h("section", { class: "panel stories-panel", "data-testid": "stories", id: "results", tabindex: -1 });
    replace(el, panel);
    notice(panel, "Loading stories\u2026");
    let body;
    try {
      body = await fetchList(state, choices, offset);
    } catch (err) {
      notice(panel, `Could not load the stories: ${err.message}`, "error");
      return;
    }
    if (body === undefined) return; // a newer update took over
    const { total, stories: shown } = body;
    const more = offset + shown.length < total;
    const range = shown.length ? `${formatNumber(offset + 1)}\u2013${formatNumber(offset + shown.length)} of ` : "";
    const ignored = Object.keys(state.filters).filter((k) => !STORY_FILTERS.includes(k));

    replace(panel,
      h("h2", {}, "Stories", h("small", {}, range,
        h("span", { "data-testid": "stories-total" }, formatNumber(total)), total === 1 ? " story" : " stories")),
      listControls(choices),
      ignored.length ? h("p", { class: "notice", "data-testid": "stories-note" },
        `Stories are chosen by date and type only; the ${ignored.join(", ")} filter${ignored.length > 1 ? "s do" : " does"} not apply here.`) : null,
      shown.length ? storyTable(shown, state) : h("p", { class: "notice", "data-testid": "notice-info" },
        minSources > 1 ? `No story with ${minSources} or more sources matches.` : "No story matches these filters."),
      more || offset ? pager(page, more) : null);
  }

  function listControls({ minSources, sort }) {
    const choices = [...new Set([1, 2, 3, minSources])].sort((a, b) => a - b);
    const minSelect = h("select", { "data-testid": "stories-min-sources", id: "stories-min-sources",
      // a new minimum starts again from the first page
      onchange: (e) => ctx.setView({ min_sources: e.target.value === "1" ? null : e.target.value, page: null }) },
    choices.map((n) => h("option", { value: n, selected: n === minSources }, n === 1 ? "any number" : `${n} or more`)));
    const orderSelect = h("select", { "data-testid": "stories-sort", id: "stories-sort",
      onchange: (e) => ctx.setView({ sort: e.target.value === DEFAULT_ORDER ? null : e.target.value, page: null }) },
    Object.entries(ORDERS).map(([v, label]) => h("option", { value: v, selected: v === sort }, label)));
    return h("div", { class: "stories-controls" },
      h("label", { for: "stories-min-sources" }, "Sources: "), minSelect,
      h("label", { for: "stories-sort" }, "Order: "), orderSelect,
      h("span", { class: "stories-help" }, "A story groups the reports of one happening across articles and sources."));
  }

  function pager(page, more) {
    const go = (n) => ctx.setView({ page: n > 1 ? n : null });
    return h("div", { class: "pager" },
      h("button", { type: "button", "data-testid": "stories-prev", disabled: page === 1, onclick: () => go(page - 1) }, "\u2190 Previous"),
      h("button", { type: "button", "data-testid": "stories-next", disabled: !more, onclick: () => go(page + 1) }, "Next \u2192"));
  }

  function storyTable(stories, state) {
    // the table scrolls inside its panel on a narrow screen, so the page never scrolls sideways
    return h("div", { class: "table-scroll", "data-testid": "stories-scroll" }, h("table", { class: "stories-table" },
      h("thead", {}, h("tr", {},
        h("th", {}, "Type"), h("th", {}, "Dates"), h("th", {}, "What happened (representative report)"),
        h("th", { class: "num" }, "Reports"), h("th", { class: "num" }, "Sources"), h("th", { class: "num" }, "Articles"),
        h("th", {}, "Numbers"), h("th", {}, ""))),
      h("tbody", {}, stories.map((st) => {
        const rep = st.representative || {};
        const link = h("a", { href: ctx.hrefFor({ view: "story", id: st.id, ...listKeys(state) }), "data-testid": "story-link" }, "Open");
        const numbers = Object.entries(st.quantities || {}).map(([kind, q]) =>
          q.min === q.max ? `${value(q.min)} ${kind}` : `${value(q.min)}\u2013${value(q.max)} ${kind}`);
        return h("tr", {
          class: "clickable", "data-testid": "story-row", "data-id": st.id,
          // A click anywhere on the row follows its link (in-app navigation through the link itself).
          onclick: (e) => { if (!e.target.closest("a")) link.click(); },
        },
        // data-label: the column's name, shown beside the value when a phone stacks the cells
        h("td", { class: "nowrap story-type-cell" }, typeLabel(rep, st.event_type)),
        h("td", { class: "nowrap story-dates-cell" }, dateRange(st.first_date, st.last_date)),
        h("td", { class: "story-what" }, h("div", {}, sentence(rep)), h("div", { class: "muted small" }, partiesLine(rep))),
        h("td", { class: "num", "data-label": "reports", "data-testid": "story-reports" }, st.events),
        h("td", { class: "num", "data-label": "sources", "data-testid": "story-sources" }, st.sources),
        h("td", { class: "num", "data-label": "articles" }, st.articles),
        h("td", { class: "small" }, numbers.join(", ")),
        h("td", {}, link));
      }))));
  }

  /** The list's URL keys, carried into a story's link so its "All stories" link returns to the same page. */
  function listKeys(state) {
    return { min_sources: state.min_sources, page: state.page, sort: state.sort };
  }

  // -- one story --------------------------------------------------------------------------------

  async function showStory(state) {
    const panel = h("section", { class: "story-view", "data-testid": "story" });
    const back = h("a", { class: "story-back", href: ctx.hrefFor({ view: "stories", ...listKeys(state) }), "data-testid": "story-back" }, "\u2190 All stories");
    replace(el, panel);
    replace(panel, back, h("p", { class: "notice notice-info", "data-testid": "notice-info" }, "Loading the story\u2026"));
    if (!state.id) {
      replace(panel, back, h("p", { class: "notice notice-error", "data-testid": "notice-error" }, "No story given: choose one from the list."));
      return;
    }
    let story;
    try {
      story = await run((signal) => ctx.api(`/stories/${encodeURIComponent(state.id)}`, {}, { signal }));
    } catch (err) {
      const text = err.status === 404 ? `There is no story ${state.id} in this store.` : `Could not load the story: ${err.message}`;
      replace(panel, back, h("p", { class: "notice notice-error", "data-testid": "notice-error" }, text));
      return;
    }
    if (story === undefined) return;

    const members = story.members || [];
    const articles = new Map(); // article id -> its description, in the story's order
    for (const m of members) if (!articles.has(m.article.id)) articles.set(m.article.id, m.article);
    const sourceOf = (id) => articles.get(id)?.source || id;
    const rep = story.representative || {};

    replace(panel,
      back,
      h("h2", { class: "story-title", "data-testid": "story-title" },
        h("span", { class: "story-type" }, typeLabel(rep, story.event_type)),
        h("span", { class: "story-dates" }, dateRange(story.first_date, story.last_date)),
        h("span", { class: "story-rep" }, sentence(rep, 400))),
      h("p", { class: "story-summary", "data-testid": "story-summary" },
        `${story.events} report${story.events === 1 ? "" : "s"} in ${story.articles} article${story.articles === 1 ? "" : "s"} from `
        + `${story.sources} source${story.sources === 1 ? "" : "s"}`
        + (story.earliest_report ? `; first reported ${story.earliest_report}` : "") + "."),
      h("div", { class: "panel" },
        h("h2", {}, "Numbers", h("small", {}, "what each report says, and the spread")),
        numbersTable(story.quantities || {}, articles)),
      h("div", { class: "panel" },
        h("h2", {}, "Reports", h("small", {}, `${members.length} in order of publication`)),
        h("ol", { class: "story-reports" }, members.map((m) => report(m, sourceOf)))));
  }

  function numbersTable(quantities, articles) {
    const kinds = Object.keys(quantities);
    if (!kinds.length) return h("p", { class: "notice", "data-testid": "story-numbers" }, "No report in this story gives a number.");
    const cols = [...articles.values()];
    return h("div", { class: "table-scroll" }, h("table", { class: "story-numbers", "data-testid": "story-numbers" },
      h("thead", {}, h("tr", {},
        h("th", {}, "Number"),
        cols.map((a) => h("th", { class: "num", "data-article": a.id, title: a.title || a.id }, a.source, h("br"), h("small", {}, a.published || ""))),
        h("th", { class: "num" }, "Spread (min\u2013max)"))),
      h("tbody", {}, kinds.map((kind) => {
        const q = quantities[kind];
        const byArticle = new Map((q.reports || []).map((r) => [r.article_id, r.value]));
        const differs = q.min !== q.max;
        return h("tr", { "data-kind": kind, class: differs ? "differs" : "" },
          h("th", { scope: "row" }, kind),
          cols.map((a) => h("td", { class: "num", "data-article": a.id }, byArticle.has(a.id) ? value(byArticle.get(a.id)) : "\u2014")),
          h("td", { class: "num spread", "data-testid": "story-spread" },
            differs ? `${value(q.min)}\u2013${value(q.max)}` : `${value(q.min)} (all agree)`,
            h("small", {}, ` ${byArticle.size} of ${cols.length} give it`)));
      }))));
  }

  function report(m, sourceOf) {
    const e = m.event;
    const a = m.article;
    const href = ctx.hrefFor({ view: "article", id: a.id, event: e.id });
    const when = [e.date?.value && `date ${e.date.value}${e.date.text ? ` (\u201c${e.date.text}\u201d)` : ""}`,
      e.location && `at ${e.location.name || e.location.text}`].filter(Boolean).join(" \u00b7 ");
    const numbers = (e.quantities || []).map(quantityLabel);
    return h("li", { class: "story-report", "data-testid": "story-report", "data-article": a.id, "data-event": e.id },
      h("div", { class: "report-head" },
        h("b", { class: "report-source" }, a.source),
        h("a", { href, "data-testid": "story-report-link" }, a.title || a.id),
        h("span", { class: "muted" }, a.published ? `published ${a.published}` : "publication date unknown")),
      h("div", { class: "report-facts" },
        typeLabel(e), h("span", { class: "muted" }, ` ${e.modality || ""}`), when ? ` \u00b7 ${when}` : ""),
      h("div", {}, partiesLine(e)),
      h("div", { class: "report-numbers" }, numbers.length ? `Numbers: ${numbers.join(", ")}` : h("span", { class: "muted" }, "No numbers.")),
      h("blockquote", {}, sentence(e, 400)),
      reasonsList(m, sourceOf),
      h("a", { class: "report-open", href }, "Open the article with this event highlighted \u2192"));
  }

  return { update };
}
