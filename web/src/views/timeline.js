// The timeline, overview and detail: the detail chart shows the chosen dates (since/until) zoomed
// in, with every filter applied, so its count is the event table's; the overview strip below shows
// every date, and brushing either chart (snapped to whole bars) sets since/until.
// Bars are stacked by quad class or event type, on a log scale by default (scale=linear in the URL).
import { scaleOrdinal } from "d3-scale";
import { h, replace, notice, formatNumber, QUAD_NAMES, QUAD_COLORS } from "../dom.js";
import { drawChart } from "./timeline-chart.js";
import { bucketLabel, detailDomain, selectedDates } from "./timeline-dates.js";
import "./timeline.css";

const INTERVALS = ["day", "week", "month"];
const STACKS = { quad: "quad class", type: "event type" };
const SCALES = { log: "log", linear: "linear" };
const HEIGHT = 170;
const OVERVIEW_HEIGHT = 54;
const MARGIN = { top: 8, right: 12, bottom: 22, left: 34 };
const OVERVIEW_MARGIN = { top: 4, right: 12, bottom: 20, left: 34 };

// PLOVER's event types from cooperation to conflict, with a fixed colour each, so a type keeps its
// colour whatever the filters leave in the chart. Cool hues for cooperation, warm ones for conflict.
const TYPE_ORDER = [
  "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "SANCTION", "PROTEST", "MOBILIZE", "COERCE", "ASSAULT",
];
const TYPE_PALETTE = [
  "#1f5f99", "#6f9fd8", "#2b8c83", "#93cfc5", "#3f8a2e", "#9bcf78", "#b9a935", "#7d5ba6",
  "#c2a3dc", "#d4913b", "#f3cb86", "#8e5a2e", "#d9679b", "#767676", "#f29a8e", "#c4283a",
];
const typeColor = scaleOrdinal(TYPE_ORDER, TYPE_PALETTE).unknown("#a9a9ad");

export function createTimeline(el, ctx) {
  const runDetail = ctx.latest();
  const runOverview = ctx.latest();
  let detail = null; // the last /timeline answer for every filter
  let overview = null; // ... and for every filter but the dates
  let keys = { detail: null, overview: null }; // the queries they answered
  let current = null; // the last state seen
  let drawnWidth = 0;

  const select = (testid, label, key, options) => h("select", { "data-testid": testid, "aria-label": label,
    onchange: (e) => ctx.setView({ [key]: e.target.value }) }, options.map(([v, t]) => h("option", { value: v }, t)));
  const intervalSelect = select("timeline-interval", "bar interval", "interval", INTERVALS.map((i) => [i, i]));
  const stackSelect = select("timeline-stack", "split bars by", "stack", Object.entries(STACKS));
  const scaleSelect = select("timeline-scale", "bar height scale", "scale", Object.entries(SCALES));
  const resetButton = h("button", { type: "button", class: "timeline-reset", "data-testid": "timeline-reset",
    title: "show every date again", onclick: () => ctx.setFilters({ since: null, until: null }) }, "Reset dates");
  // The headline counts what the event table counts (every filter, dates included); the bars draw
  // only events dated finely enough for them, and the note says how many are left out.
  const total = h("span", { "data-testid": "timeline-total" }, "\u2026");
  const drawn = h("span", { "data-testid": "timeline-drawn" }, "");
  const range = h("span", { class: "timeline-range", "data-testid": "timeline-range" });
  const chart = h("div", { class: "timeline-chart" });
  const overviewChart = h("div", { class: "timeline-overview-chart" });
  const readout = h("div", { class: "timeline-readout", "aria-live": "polite" });
  const legend = h("div", { class: "legend timeline-legend", "data-testid": "timeline-legend" });
  const note = h("p", { class: "timeline-note", "data-testid": "timeline-excluded" });

  replace(el,
    h("h2", {}, "Timeline", h("small", {}, total, " events", drawn)),
    h("div", { class: "timeline-controls" },
      h("label", {}, "Bars by ", intervalSelect),
      h("label", {}, "split by ", stackSelect),
      h("label", {}, "height ", scaleSelect),
      resetButton, range),
    chart,
    h("div", { class: "timeline-overview-label" }, "All dates: drag here to zoom the chart above"),
    overviewChart, readout, legend, note);

  // Redraw to the panel's width (the dashboard grid and the window can both change it).
  const resize = new ResizeObserver(() => {
    if (!el.isConnected) return resize.disconnect();
    if (detail && overview && chart.clientWidth && chart.clientWidth !== drawnWidth) draw();
  });
  resize.observe(chart);

  async function load(run, params, which) {
    const key = params.toString();
    if (key === keys[which]) {
      run(async () => undefined); // abandon a slower request for other bars: these are current
      return which === "detail" ? detail : overview;
    }
    const answer = await run((signal) => ctx.api("/timeline", params, { signal }));
    if (answer === undefined) return undefined; // superseded by a newer update
    keys[which] = key;
    if (which === "detail") detail = answer;
    else overview = answer;
    return answer;
  }

  async function update(state) {
    current = state;
    const interval = INTERVALS.includes(state.interval) ? state.interval : "week";
    const stack = STACKS[state.stack] ? state.stack : "quad";
    const scale = SCALES[state.scale] ? state.scale : "log";
    intervalSelect.value = interval;
    stackSelect.value = stack;
    scaleSelect.value = scale;
    const { since, until } = state.filters;
    resetButton.disabled = !since && !until;
    range.textContent = since || until ? `Dates: ${since || "\u2026"} to ${until || "\u2026"}` : "Drag across the bars to choose dates";

    const params = ctx.filterParams(state);
    params.set("interval", interval);
    params.set("stack", stack);
    const all = new URLSearchParams(params);
    all.delete("since");
    all.delete("until");
    chart.classList.add("loading");
    let answers;
    try {
      // with no dates chosen the two are one query: ask once
      const same = !since && !until;
      if (same) runOverview(async () => undefined);
      answers = await Promise.all([load(runDetail, params, "detail"), same ? null : load(runOverview, all, "overview")]);
      if (same && answers[0]) [overview, keys.overview, answers[1]] = [detail, keys.detail, detail];
    } catch (err) {
      chart.classList.remove("loading");
      detail = overview = null;
      keys = { detail: null, overview: null };
      total.textContent = "\u2013";
      drawn.textContent = "";
      replace(legend);
      replace(note);
      replace(overviewChart);
      notice(chart, `Cannot load the timeline: ${err.message}`, "error");
      return;
    }
    if (answers.includes(undefined) || state !== current) return; // a newer update took over
    chart.classList.remove("loading");
    draw();
  }

  function draw() {
    const state = current;
    const scale = SCALES[state.scale] ? state.scale : "log";
    const { buckets, interval, stack, excluded } = detail;
    const stacked = stackKeys(buckets, stack);
    const color = stack === "quad" ? (k) => QUAD_COLORS[k] || "#a9a9ad" : (k) => typeColor(k);
    const label = stack === "quad" ? (k) => `${k} ${QUAD_NAMES[k] || ""}`.trim() : (k) => k; // legend
    const name = stack === "quad" ? (k) => QUAD_NAMES[k] || `quad ${k}` : (k) => k; // in sentences

    const shown = buckets.reduce((n, b) => n + b.total, 0);
    total.textContent = formatNumber(shown + (excluded?.undated || 0) + (excluded?.coarser || 0));
    drawn.textContent = `, ${formatNumber(shown)} drawn by ${interval}`;
    drawNote(excluded, interval);
    replace(legend, stacked.map((k) => h("span", {}, swatch(color(k)), label(k))));
    readout.textContent = "";

    const selected = selectedDates(state.filters);
    const domain = detailDomain(selected, overview.buckets, buckets, interval);
    if (!domain) {
      drawnWidth = 0;
      notice(chart, "No dated events match these filters.");
      replace(overviewChart);
      return;
    }
    const width = Math.max(240, chart.clientWidth || 600);
    drawnWidth = chart.clientWidth;
    const hover = (b) => {
      readout.textContent = b ? `${bucketLabel(b, interval)}: ${describe(b, stacked, name)}` : "";
    };
    const onRange = ({ since, until }) => {
      if (since === state.filters.since && until === state.filters.until) return false;
      ctx.setFilters({ since, until });
      return true;
    };
    const common = { width, interval, keys: stacked, color, name, scale, selected, onRange, onHover: hover };
    replace(chart, buckets.length
      ? drawChart(buckets, domain, { ...common, height: HEIGHT, margin: MARGIN, brushed: null, testid: "timeline-detail",
        label: `events per ${interval}${selected ? " in the chosen dates" : ""}, split by ${STACKS[stack]}, ${scale} scale` })
      : h("p", { class: "notice timeline-empty", "data-testid": "timeline-empty" }, "No event in the chosen dates is dated finely enough for these bars."));
    const everything = overview.buckets;
    replace(overviewChart, everything.length
      ? drawChart(everything, detailDomain(null, everything, everything, interval), {
        ...common, height: OVERVIEW_HEIGHT, margin: OVERVIEW_MARGIN, overview: true, brushed: selected,
        testid: "timeline-overview", label: `events per ${interval} over every date` })
      : null);
  }

  function drawNote(excluded, interval) {
    const parts = [];
    if (excluded?.undated) parts.push(`${formatNumber(excluded.undated)} undated`);
    if (excluded?.coarser) parts.push(`${formatNumber(excluded.coarser)} dated too coarsely to place in a ${interval}`);
    note.textContent = parts.length ? `Not drawn: ${parts.join(", ")}.` : "";
  }

  return { update };
}

function swatch(color) {
  const el = h("span", { class: "swatch" });
  el.style.background = color; // CSSOM, allowed by the page's CSP
  return el;
}

/** Keys in stacking order (bottom first): quads 1-4; types cooperation to conflict, then any others. */
function stackKeys(buckets, stack) {
  const present = new Set(buckets.flatMap((b) => Object.keys(b.counts)));
  if (stack === "quad") return ["1", "2", "3", "4", ...[...present].filter((k) => !QUAD_NAMES[k]).sort()].filter((k) => present.has(k));
  return [...TYPE_ORDER.filter((t) => present.has(t)), ...[...present].filter((t) => !TYPE_ORDER.includes(t)).sort()];
}

function describe(b, keys, name) {
  const parts = keys.filter((k) => b.counts[k]).map((k) => `${b.counts[k]} ${name(k)}`);
  return `${formatNumber(b.total)} event${b.total === 1 ? "" : "s"} (${parts.join(", ")})`;
}

