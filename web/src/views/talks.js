// Negotiations: processes of talks threaded across articles (GET /talks, docs/negotiations.md).
// The list (view=talks) gives each process's parties, mediators, state, last move, dates and moves;
// one process (view=talk&id=N) is a timeline with a lane per party and mediator, its states, its
// terms history round by round with what changed, and every move one click from its sentence.
import { h, replace, notice, formatNumber } from "../dom.js";
import { dayBound } from "./stories.js";
import { rovingFocus } from "../roving.js";
import { STATE_FILLS, answersOf, drawTalkTimeline, legendItems, moveStyle } from "./talks-timeline.js";
import "./talks.css";

const PAGE = 50;
export const TALK_STATES = ["proposed", "under talks", "agreed", "in effect", "violated", "suspended", "collapsed"];
// The explorer's filters /talks understands: a party code (the "Either side" filter) and the dates.
const TALK_FILTERS = ["country", "since", "until"];
const KIND_LABELS = {
  duration_days: "duration (days)", hostages: "hostages", prisoners: "prisoners", exchange: "exchange",
  phases: "phases", aid: "aid", withdrawal: "withdrawal", money: "money",
};

function dateRange(first, last) {
  if (!first && !last) return "undated";
  if (!last || first === last) return first || last;
  return `${first} \u2013 ${last}`;
}

function stateChip(state) {
  if (!state) return h("span", { class: "talk-state talk-state-none", "data-testid": "talk-state" }, "no state yet");
  const el = h("span", { class: "talk-state", "data-testid": "talk-state", "data-state": state }, state);
  el.style.background = STATE_FILLS[state] || "#eee";
  return el;
}

function moveChip(move, modality) {
  const style = moveStyle(move);
  const dot = h("span", { class: "swatch" });
  dot.style.background = style.color;
  return h("span", { class: "talk-move-name", "data-move": move }, dot, style.label,
    modality && modality !== "asserted" ? h("em", {}, ` (${modality})`) : null);
}

const mediatorNames = (list) => (list || []).map((m) => (m.country && m.country !== m.name ? `${m.name} (${m.country})` : m.name || m.country));

export function termText(t) {
  if (!t) return "";
  const v = t.value === null || t.value === undefined ? null : formatNumber(t.value);
  return v === null ? `\u201c${t.text}\u201d` : `${v}${t.text && t.text !== v ? ` (\u201c${t.text}\u201d)` : ""}`;
}

export function createTalks(el, ctx) {
  const run = ctx.latest();

  return {
    update(state) {
      return state.view === "talk" ? showProcess(state) : showList(state);
    },
  };

  // -- the list ---------------------------------------------------------------------------------

  function listParams(state, offset) {
    const params = { limit: PAGE, offset };
    const country = (state.filters.country || "").trim();
    if (/^[A-Za-z]{3}$/.test(country)) params.party = country.toUpperCase();
    if (state.filters.since) params.since = dayBound(state.filters.since, false);
    if (state.filters.until) params.until = dayBound(state.filters.until, true);
    if (TALK_STATES.includes(state.talk_state)) params.state = state.talk_state;
    return params;
  }

  async function showList(state) {
    const page = Math.max(1, Number.parseInt(state.page, 10) || 1);
    const offset = (page - 1) * PAGE;
    const panel = h("section", { class: "panel talks-panel", "data-testid": "talks", id: "results", tabindex: -1 });
    replace(el, panel);
    notice(panel, "Loading the negotiations\u2026");
    let body;
    try {
      body = await run((signal) => ctx.api("/talks", listParams(state, offset), { signal }));
    } catch (err) {
      notice(panel, `Could not load the negotiations: ${err.message}`, "error");
      return;
    }
    if (body === undefined) return;
    const shown = body.processes || [];
    const more = shown.length === PAGE;
    const ignored = Object.keys(state.filters).filter((k) => !TALK_FILTERS.includes(k));
    const country = state.filters.country;
    if (country && !/^[A-Za-z]{3}$/.test(country.trim())) ignored.push("country (a three-letter code here)");
    replace(panel,
      h("h2", {}, "Negotiations", h("small", {},
        h("span", { "data-testid": "talks-count" }, formatNumber(offset + shown.length)), more ? "+ processes" : shown.length + offset === 1 ? " process" : " processes")),
      controls(state),
      ignored.length ? h("p", { class: "notice", "data-testid": "talks-note" },
        `Processes are chosen by party (Either side: a country code), state and dates; the ${ignored.join(", ")} filter${ignored.length > 1 ? "s do" : " does"} not apply here.`) : null,
      shown.length ? listTable(shown, state) : h("p", { class: "notice", "data-testid": "notice-info" }, "No negotiation process matches these filters."),
      more || offset ? h("div", { class: "pager" },
        h("button", { type: "button", "data-testid": "talks-prev", disabled: page === 1, onclick: () => ctx.setView({ page: page > 2 ? page - 1 : null }) }, "\u2190 Previous"),
        h("button", { type: "button", "data-testid": "talks-next", disabled: !more, onclick: () => ctx.setView({ page: page + 1 }) }, "Next \u2192")) : null);
  }

  function controls(state) {
    const select = h("select", { id: "talks-state", "data-testid": "talks-state-filter",
      onchange: (e) => ctx.setView({ talk_state: e.target.value || null, page: null }) },
    h("option", { value: "" }, "any state"),
    TALK_STATES.map((st) => h("option", { value: st, selected: st === state.talk_state }, st)));
    return h("div", { class: "stories-controls" }, h("label", { for: "talks-state" }, "State: "), select,
      h("span", { class: "stories-help" }, "A process threads the moves of one negotiation (proposals, responses, mediation, agreement, implementation) across articles."));
  }

  function listTable(processes, state) {
    const keep = { talk_state: state.talk_state, page: state.page };
    return h("div", { class: "table-scroll" }, h("table", { class: "talks-table" },
      h("thead", {}, h("tr", {},
        h("th", {}, "Process"), h("th", {}, "Parties"), h("th", {}, "Mediators"), h("th", {}, "State"),
        h("th", {}, "Last move"), h("th", {}, "Dates"), h("th", { class: "num" }, "Moves"), h("th", { class: "num" }, "Articles"))),
      h("tbody", {}, processes.map((p) => {
        const link = h("a", { href: ctx.hrefFor({ view: "talk", id: p.id, ...keep }), "data-testid": "talk-link" }, p.process || `process ${p.id}`);
        return h("tr", { class: "clickable", "data-testid": "talk-row", "data-id": p.id,
          onclick: (e) => { if (!e.target.closest("a")) link.click(); } },
        h("td", { class: "talk-name" }, link),
        h("td", { "data-label": "parties", "data-testid": "talk-parties" }, (p.parties || []).join(", ") || "\u2014"),
        h("td", { "data-label": "mediators", "data-testid": "talk-mediators" }, mediatorNames(p.mediators).join(", ") || "\u2014"),
        h("td", {}, stateChip(p.state)),
        h("td", { "data-testid": "talk-last-move" }, moveChip(p.last_move)),
        h("td", { class: "nowrap", "data-testid": "talk-dates" }, dateRange(p.first_date, p.last_date)),
        h("td", { class: "num", "data-label": "moves", "data-testid": "talk-moves" }, p.moves),
        h("td", { class: "num", "data-label": "articles" }, p.articles));
      }))));
  }

  // -- one process ------------------------------------------------------------------------------

  async function showProcess(state) {
    const section = h("section", { class: "talk-view", "data-testid": "talk", id: "results", tabindex: -1 });
    const back = h("a", { class: "story-back", href: ctx.hrefFor({ view: "talks", talk_state: state.talk_state, page: state.page }), "data-testid": "talk-back" }, "\u2190 All negotiations");
    replace(el, section);
    replace(section, back, h("p", { class: "notice notice-info", "data-testid": "notice-info" }, "Loading the process\u2026"));
    if (!state.id) {
      replace(section, back, h("p", { class: "notice notice-error", "data-testid": "notice-error" }, "No process given: choose one from the list."));
      return;
    }
    let p;
    try {
      p = await run((signal) => ctx.api(`/talks/${encodeURIComponent(state.id)}`, {}, { signal }));
    } catch (err) {
      const text = err.status === 404 ? `There is no negotiation process ${state.id} in this store.` : `Could not load the process: ${err.message}`;
      replace(section, back, h("p", { class: "notice notice-error", "data-testid": "notice-error" }, text));
      return;
    }
    if (p === undefined) return;

    const hrefOf = (m) => ctx.hrefFor({ view: "article", id: m.article.id, event: m.event_id });
    const open = (m) => ctx.setView({ view: "article", id: m.article.id, event: m.event_id, talk_state: null, page: null });
    const chart = h("div", { class: "panel talks-chart-panel", "data-testid": "talks-timeline" });
    replace(section,
      back,
      h("h2", { class: "story-title", "data-testid": "talk-title" },
        h("span", {}, p.process || `process ${p.id}`), stateChip(p.state),
        h("span", { class: "story-dates" }, dateRange(p.first_date, p.last_date))),
      h("p", { class: "story-summary", "data-testid": "talk-summary" },
        `Parties: ${(p.parties || []).join(", ") || "none named"}; mediators: ${mediatorNames(p.mediators).join(", ") || "none named"}; `
        + `${p.moves} move${p.moves === 1 ? "" : "s"} in ${p.articles} article${p.articles === 1 ? "" : "s"}.`),
      statesLine(p, hrefOf),
      chart,
      termsPanel(p, hrefOf),
      movesPanel(p, hrefOf));

    // drawn at the width the panel has (a phone's is narrow)
    const width = Math.floor(chart.clientWidth - 26) || 800;
    const svg = drawTalkTimeline(p, { width, onOpen: open });
    const legend = h("div", { class: "legend talks-legend", "data-testid": "talks-legend" },
      legendItems(p).map((item) => h("span", {}, item.icon, item.label)),
      h("span", {}, "hollow: expected, hypothetical or denied (changes no state)"),
      h("span", {}, "dashed line: a response to what it answers"));
    replace(chart, h("h2", {}, "Timeline", h("small", {}, "one lane per party and mediator; click a move to read its sentence")),
      h("div", { class: "talks-scroll" }, svg), legend);
    rovingFocus(svg, [".talk-move"], (g) => g.dataset.event)();
  }

  function statesLine(p, hrefOf) {
    const byId = new Map((p.timeline || []).map((m) => [m.event_id, m]));
    const states = p.states || [];
    if (!states.length) return h("p", { class: "notice", "data-testid": "talk-states" }, "No asserted move has set a state yet.");
    return h("ol", { class: "talk-states", "data-testid": "talk-states", "aria-label": "states in order" },
      states.map((st) => {
        const m = byId.get(st.event_id);
        return h("li", { "data-testid": "talk-state-step", "data-state": st.state, "data-event": st.event_id },
          stateChip(st.state), " ",
          m ? h("a", { href: hrefOf(m), title: "open the sentence of the move that set it" }, `${st.since}, ${moveStyle(st.move).label}`)
            : `${st.since}, ${moveStyle(st.move).label}`);
      }));
  }

  function termsPanel(p, hrefOf) {
    const rounds = p.terms_history || [];
    const panel = h("div", { class: "panel", "data-testid": "talk-terms" });
    if (!rounds.length) return replace(panel, h("h2", {}, "Terms"), h("p", { class: "notice" }, "No proposal or agreement in this process states terms."));
    const kinds = [...new Set(rounds.flatMap((r) => (r.terms || []).map((t) => t.kind)))];
    const byId = new Map((p.timeline || []).map((m) => [m.event_id, m]));
    return replace(panel,
      h("h2", {}, "Terms history", h("small", {}, "each round beside the one before; changes are marked")),
      h("div", { class: "table-scroll" }, h("table", { class: "talk-terms-table" },
        h("thead", {}, h("tr", {}, h("th", {}, "Round"), h("th", {}, "Date"), h("th", {}, "Move"), h("th", {}, "By"),
          kinds.map((k) => h("th", { "data-kind": k }, KIND_LABELS[k] || k)), h("th", {}, "Answered by"))),
        h("tbody", {}, rounds.map((r) => {
          const changes = r.changes || {};
          const changed = new Map((changes.changed || []).map((c) => [c.kind, c]));
          const added = new Set((changes.added || []).map((t) => t.kind));
          const removed = new Set((changes.removed || []).map((t) => t.kind));
          const terms = new Map((r.terms || []).map((t) => [t.kind, t]));
          const m = byId.get(r.event_id);
          return h("tr", { "data-testid": "talk-round", "data-round": r.round, "data-event": r.event_id },
            h("td", {}, m ? h("a", { href: hrefOf(m) }, `round ${r.round}`) : `round ${r.round}`,
              (r.reports || []).length > 1 ? h("small", { class: "muted" }, ` ${r.reports.length} reports`) : null),
            h("td", { class: "nowrap" }, r.date || "undated"),
            h("td", {}, moveChip(r.move, r.modality)),
            h("td", {}, (r.by || []).join(", ")),
            kinds.map((k) => {
              const t = terms.get(k);
              if (changed.has(k)) {
                const c = changed.get(k);
                return h("td", { class: "term changed", "data-kind": k, "data-change": "changed" },
                  h("s", {}, termText(c.from)), " \u2192 ", h("b", {}, termText(c.to)));
              }
              if (t) return h("td", { class: `term${added.has(k) && r.previous ? " added" : ""}`, "data-kind": k, "data-change": added.has(k) && r.previous ? "added" : "same" },
                added.has(k) && r.previous ? "new: " : "", termText(t));
              if (removed.has(k)) return h("td", { class: "term removed muted", "data-kind": k, "data-change": "removed", title: "this report does not state it (not proof it was dropped)" }, "not stated");
              return h("td", { class: "muted", "data-kind": k }, "\u2014");
            }),
            h("td", { "data-testid": "talk-round-responses" }, (r.responses || []).map((x, i) => {
              const rm = byId.get(x.event_id);
              const label = `${moveStyle(x.move).label} by ${(x.by || []).join(", ") || "?"}, ${x.date}`;
              return [i ? "; " : "", rm ? h("a", { href: `#move-${x.event_id}`, onclick: focusMove(x.event_id) }, label) : label];
            })));
        })))));
  }

  function movesPanel(p, hrefOf) {
    const byId = new Map((p.timeline || []).map((m) => [m.event_id, m]));
    const answers = answersOf(p);
    const moves = p.timeline || [];
    return h("div", { class: "panel" },
      h("h2", {}, "Moves", h("small", {}, `${moves.length} in date order`)),
      h("ol", { class: "talk-moves", "data-testid": "talk-moves-list" }, moves.map((m) => {
        const answered = byId.get(answers.get(m.event_id));
        const expected = m.modality && m.modality !== "asserted";
        return h("li", { class: "talk-move-item", id: `move-${m.event_id}`, tabindex: -1, "data-testid": "talk-move-item", "data-event": m.event_id, "data-move": m.move },
          h("div", { class: "report-head" },
            h("b", { class: "nowrap" }, m.date || "undated"),
            moveChip(m.move, m.modality),
            h("span", {}, side(m.actors), m.recipients?.length ? [" \u2192 ", side(m.recipients)] : null),
            m.state_changed && !expected ? h("span", { class: "talk-sets" }, "sets ", stateChip(m.state)) : null),
          m.mediators?.length ? h("div", { class: "small" }, `mediators: ${mediatorNames(m.mediators).join(", ")}`) : null,
          m.terms?.length ? h("div", { class: "small", "data-testid": "talk-move-terms" }, "terms: ",
            m.terms.map((t, i) => [i ? "; " : "", `${KIND_LABELS[t.kind] || t.kind} ${termText(t)}`])) : null,
          changesLine(m.changes),
          answered ? h("div", { class: "small talk-answers", "data-testid": "talk-answers" }, "answers ",
            h("a", { href: `#move-${answered.event_id}`, onclick: focusMove(answered.event_id) },
              `the ${moveStyle(answered.move).label} of ${answered.date} by ${side(answered.actors)}`)) : null,
          m.evidence?.text ? h("blockquote", {}, m.evidence.text) : null,
          h("div", { class: "small muted" }, `${m.article.source || ""}${m.article.published ? `, ${m.article.published}` : ""} \u00b7 ${m.why || ""}`),
          h("a", { class: "report-open", href: hrefOf(m), "data-testid": "talk-move-open" }, "Open the sentence highlighted \u2192"));
      })));
  }

  function changesLine(changes) {
    if (!changes) return null;
    const parts = [
      ...(changes.changed || []).map((c) => `${KIND_LABELS[c.kind] || c.kind} ${termText(c.from)} \u2192 ${termText(c.to)}`),
      ...(changes.added || []).map((t) => `added ${KIND_LABELS[t.kind] || t.kind} ${termText(t)}`),
      ...(changes.removed || []).map((t) => `not stated: ${KIND_LABELS[t.kind] || t.kind}`),
    ];
    return h("div", { class: "small talk-changes", "data-testid": "talk-move-changes" },
      parts.length ? `changed since the previous round: ${parts.join("; ")}` : "same terms as the previous round");
  }

  /** An in-page link to a move in the list: focus it (no #fragment in the URL: the state is in the query). */
  function focusMove(eventId) {
    return (e) => {
      e.preventDefault();
      const item = document.getElementById(`move-${eventId}`);
      if (!item) return;
      item.scrollIntoView({ block: "center" });
      item.focus({ preventScroll: true });
      item.classList.add("flash");
      setTimeout(() => item.classList.remove("flash"), 1200);
    };
  }
}

function side(list) {
  return (list || []).map((a) => (a.country && a.country !== a.name ? `${a.name} (${a.country})` : a.name || a.country)).join(", ") || "\u2014";
}
