// The timeline: matching events per day, week or month as stacked bars, by quad class or event type.
// It is fetched without the since/until filters so the whole period stays in sight; the chosen range
// is drawn as the brush selection, and brushing (snapped to whole buckets) sets since/until.
import { axisBottom, axisLeft } from "d3-axis";
import { brushX } from "d3-brush";
import { scaleLinear, scaleOrdinal, scaleUtc } from "d3-scale";
import { pointer, select } from "d3-selection";
import { h, s, replace, notice, formatNumber, QUAD_NAMES, QUAD_COLORS } from "../dom.js";
import "./timeline.css";

const INTERVALS = ["day", "week", "month"];
const STACKS = { quad: "quad class", type: "event type" };
const DAY = 86400000;
const HEIGHT = 180;
const MARGIN = { top: 8, right: 12, bottom: 22, left: 34 };

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
  const run = ctx.latest();
  let data = null; // the last /timeline answer
  let dataKey = null; // the query it answered
  let current = null; // the last state seen
  let drawnWidth = 0;

  const intervalSelect = h("select", { "data-testid": "timeline-interval", "aria-label": "bar interval",
    onchange: (e) => ctx.setView({ interval: e.target.value }) },
  INTERVALS.map((i) => h("option", { value: i }, i)));
  const stackSelect = h("select", { "data-testid": "timeline-stack", "aria-label": "split bars by",
    onchange: (e) => ctx.setView({ stack: e.target.value }) },
  Object.entries(STACKS).map(([v, label]) => h("option", { value: v }, label)));
  const resetButton = h("button", { type: "button", class: "timeline-reset", "data-testid": "timeline-reset",
    title: "show every date again", onclick: () => ctx.setFilters({ since: null, until: null }) }, "Reset dates");
  const total = h("span", { "data-testid": "timeline-total" }, "…");
  const unit = h("span", {}, "");
  // The bars always cover every date (so you can brush), while the other views keep to since/until:
  // say how many of the drawn events fall in the chosen dates, next to the all-dates total.
  const rangeTotal = h("span", { "data-testid": "timeline-range-total" });
  const rangePart = h("span", { class: "timeline-range-part", hidden: true }, " \u00b7 ", rangeTotal, " in the chosen dates");
  const range = h("span", { class: "timeline-range", "data-testid": "timeline-range" });
  const chart = h("div", { class: "timeline-chart" });
  const readout = h("div", { class: "timeline-readout", "aria-live": "polite" });
  const legend = h("div", { class: "legend timeline-legend", "data-testid": "timeline-legend" });
  const note = h("p", { class: "timeline-note", "data-testid": "timeline-excluded" });

  replace(el,
    h("h2", {}, "Timeline", h("small", {}, total, " events", unit, rangePart)),
    h("div", { class: "timeline-controls" },
      h("label", {}, "Bars by ", intervalSelect),
      h("label", {}, "split by ", stackSelect),
      resetButton, range),
    chart, readout, legend, note);

  // Redraw to the panel's width (the dashboard grid and the window can both change it).
  const resize = new ResizeObserver(() => {
    if (!el.isConnected) return resize.disconnect();
    if (data && chart.clientWidth && chart.clientWidth !== drawnWidth) draw();
  });
  resize.observe(chart);

  /** Abandon the request under way, if any: `run` aborts the previous load whenever a new one starts. */
  function cancelPending() {
    run(async () => undefined);
  }

  async function update(state) {
    current = state;
    const interval = INTERVALS.includes(state.interval) ? state.interval : "week";
    const stack = STACKS[state.stack] ? state.stack : "quad";
    intervalSelect.value = interval;
    stackSelect.value = stack;
    const { since, until } = state.filters;
    resetButton.disabled = !since && !until;
    range.textContent = since || until ? `Dates: ${since || "…"} to ${until || "…"}` : "Drag across the bars to choose dates";

    const params = ctx.filterParams(state);
    params.delete("since");
    params.delete("until");
    params.set("interval", interval);
    params.set("stack", stack);
    const key = params.toString();
    if (key === dataKey && data) {
      cancelPending(); // a slower request for other bars must not replace these
      chart.classList.remove("loading");
      draw(); // only the date range changed: same bars, new selection
      return;
    }
    chart.classList.add("loading");
    let answer;
    try {
      answer = await run((signal) => ctx.api("/timeline", params, { signal }));
    } catch (err) {
      chart.classList.remove("loading");
      data = dataKey = null;
      total.textContent = "–";
      rangePart.hidden = true;
      replace(legend);
      replace(note);
      notice(chart, `Cannot load the timeline: ${err.message}`, "error");
      return;
    }
    if (answer === undefined) return; // superseded by a newer update
    chart.classList.remove("loading");
    data = answer;
    dataKey = key;
    draw();
  }

  function draw() {
    const state = current;
    const { buckets, interval, stack, excluded } = data;
    const keys = stackKeys(buckets, stack);
    const color = stack === "quad" ? (k) => QUAD_COLORS[k] || "#a9a9ad" : (k) => typeColor(k);
    const label = stack === "quad" ? (k) => `${k} ${QUAD_NAMES[k] || ""}`.trim() : (k) => k; // legend
    const name = stack === "quad" ? (k) => QUAD_NAMES[k] || `quad ${k}` : (k) => k; // in sentences

    total.textContent = formatNumber(buckets.reduce((n, b) => n + b.total, 0));
    const selected = selectedDates(state.filters);
    unit.textContent = ` by ${interval}${selected ? " in all dates" : ""}`;
    writeRangeTotal(buckets, selected, interval);
    drawNote(excluded, interval);
    replace(legend, keys.map((k) => h("span", {}, swatch(color(k)), label(k))));
    readout.textContent = "";

    if (!buckets.length) {
      drawnWidth = 0;
      notice(chart, "No dated events match these filters.");
      return;
    }
    const width = Math.max(240, chart.clientWidth || 600);
    drawnWidth = chart.clientWidth;
    const x = scaleUtc()
      .domain([parseDay(buckets[0].start), new Date(+parseDay(buckets[buckets.length - 1].end) + DAY)])
      .range([MARGIN.left, width - MARGIN.right]);
    const maxTotal = Math.max(...buckets.map((b) => b.total));
    const y = scaleLinear().domain([0, maxTotal]).nice().range([HEIGHT - MARGIN.bottom, MARGIN.top]);

    const svg = s("svg", { width, height: HEIGHT, class: "timeline-svg", role: "img",
      "aria-label": `events per ${interval}, split by ${STACKS[stack]}` });
    const bars = s("g", { class: "bars" });
    for (const b of buckets) {
      const x0 = x(parseDay(b.start));
      const x1 = x(new Date(+parseDay(b.end) + DAY));
      const pad = Math.min(2, (x1 - x0) * 0.15);
      const outside = selected && !overlaps(b, selected);
      let base = 0;
      for (const k of keys) {
        const n = b.counts[k];
        if (!n) continue;
        bars.appendChild(s("rect", {
          "data-testid": "timeline-bar", "data-start": b.start, "data-key": k, "data-count": n,
          class: outside ? "outside" : null,
          x: x0 + pad, width: Math.max(1, x1 - x0 - 2 * pad),
          y: y(base + n), height: Math.max(0, y(base) - y(base + n)), fill: color(k),
        }, s("title", {}, `${bucketLabel(b, interval)}: ${n} ${name(k)}`)));
        base += n;
      }
    }
    svg.appendChild(bars);

    const yTicks = y.ticks(Math.min(4, maxTotal)).filter(Number.isInteger);
    select(svg).append("g").attr("class", "axis axis-y").attr("transform", `translate(${MARGIN.left},0)`)
      .call(axisLeft(y).tickValues(yTicks).tickFormat((v) => formatNumber(v)).tickSizeOuter(0));
    select(svg).append("g").attr("class", "axis axis-x").attr("transform", `translate(0,${HEIGHT - MARGIN.bottom})`)
      .call(axisBottom(x).ticks(Math.max(2, Math.floor(width / 90))).tickSizeOuter(0));

    // The brush sits on top of the bars: a drag selects a range, a click selects the bucket under it.
    const brush = brushX()
      .extent([[MARGIN.left, MARGIN.top], [width - MARGIN.right, HEIGHT - MARGIN.bottom]])
      .on("end", (event) => brushed(event, x, buckets, interval, brushGroup, brush));
    const brushGroup = select(svg).append("g").attr("class", "brush").call(brush);
    brushGroup.call(brush.move, selectionPixels(selected, x));
    brushGroup.on("pointermove.readout", (event) => {
      const b = bucketAt(buckets, x.invert(pointer(event, svg)[0]));
      readout.textContent = b ? `${bucketLabel(b, interval)}: ${describe(b, keys, name)}` : "";
    }).on("pointerleave.readout", () => { readout.textContent = ""; });

    replace(chart, svg);
  }

  function brushed(event, x, buckets, interval, group, brush) {
    if (!event.sourceEvent) return; // our own brush.move
    let first;
    let last;
    if (event.selection) {
      const [a, b] = event.selection.map((px) => x.invert(px));
      first = floorBucket(a, interval);
      // the bucket holding the selection's end, not the next one when the end sits on its boundary
      last = floorBucket(new Date(+b - 1), interval);
      if (last < first) last = first;
    } else {
      // a click without a drag: the bucket under the pointer, if it has events
      const hit = bucketAt(buckets, x.invert(pointer(event.sourceEvent, group.node())[0]));
      if (hit) first = last = parseDay(hit.start);
    }
    const since = first ? isoDay(first) : null;
    const until = last ? isoDay(new Date(+nextBucket(last, interval) - DAY)) : null;
    const { filters } = current;
    if (!since || (since === filters.since && until === filters.until)) {
      group.call(brush.move, selectionPixels(selectedDates(filters), x)); // nothing changes: put it back
      return;
    }
    ctx.setFilters({ since, until });
  }

  /** The events drawn within the chosen dates. A bar that straddles an edge of the range may hold
   * events on either side of it, so then the count is given as a range: bars wholly inside to all
   * bars touching it. (Dates set by brushing are whole bars, so the count is exact.) */
  function writeRangeTotal(buckets, selected, interval) {
    rangePart.hidden = !selected;
    rangePart.title = "";
    if (!selected) return;
    let inside = 0;
    let touching = 0;
    for (const b of buckets) {
      if (!overlaps(b, selected)) continue;
      touching += b.total;
      if (within(b, selected)) inside += b.total;
    }
    if (inside === touching) {
      rangeTotal.textContent = formatNumber(inside);
      return;
    }
    rangeTotal.textContent = `${formatNumber(inside)}\u2013${formatNumber(touching)}`;
    rangePart.title = `${formatNumber(inside)} in the ${interval}s wholly inside the chosen dates, `
      + `${formatNumber(touching)} counting the ${interval}s that straddle its edges; `
      + "choose day bars, or brush whole bars, for an exact count";
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

function bucketLabel(b, interval) {
  if (interval === "day") return b.start;
  if (interval === "week") return `week of ${b.start} to ${b.end}`;
  return b.start.slice(0, 7);
}

/** The bucket (with events) containing `date`, or undefined. */
function bucketAt(buckets, date) {
  return buckets.find((b) => date >= parseDay(b.start) && date < +parseDay(b.end) + DAY);
}

// Dates are calendar days in UTC: the API's buckets are ISO dates, weeks start on Monday.

function parseDay(text) {
  const [y, m, d] = text.split("-").map(Number);
  return new Date(Date.UTC(y, (m || 1) - 1, d || 1));
}

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

function floorBucket(date, interval) {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  if (interval === "month") return new Date(Date.UTC(y, m, 1));
  const day = new Date(Date.UTC(y, m, date.getUTCDate()));
  if (interval === "day") return day;
  return new Date(+day - ((day.getUTCDay() + 6) % 7) * DAY);
}

function nextBucket(start, interval) {
  if (interval === "day") return new Date(+start + DAY);
  if (interval === "week") return new Date(+start + 7 * DAY);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/;

/** since/until (which may be "2024", "2024-04" or "2024-04-15") as [start, end) Dates, or null. */
function selectedDates(filters) {
  if (!filters.since && !filters.until) return null;
  const start = filters.since && PARTIAL_DATE.test(filters.since) ? parseDay(filters.since) : new Date(-8.64e15);
  let end = new Date(8.64e15);
  const m = filters.until && PARTIAL_DATE.exec(filters.until);
  if (m) {
    const [, y, mo, d] = m.map(Number);
    end = d ? new Date(Date.UTC(y, mo - 1, d + 1)) : mo ? new Date(Date.UTC(y, mo, 1)) : new Date(Date.UTC(y + 1, 0, 1));
  }
  return [start, end];
}

function overlaps(bucket, [start, end]) {
  return parseDay(bucket.start) < end && +parseDay(bucket.end) + DAY > start;
}

function within(bucket, [start, end]) {
  return parseDay(bucket.start) >= start && +parseDay(bucket.end) + DAY <= end;
}

/** The selected dates as brush pixels, clamped to the chart; null when nothing of it is in view. */
function selectionPixels(selected, x) {
  if (!selected) return null;
  const [lo, hi] = x.range();
  const a = Math.max(lo, Math.min(hi, x(selected[0])));
  const b = Math.max(lo, Math.min(hi, x(selected[1])));
  return b - a >= 1 ? [a, b] : null;
}
