// One stacked bar chart of the timeline with its axes and a date brush: used for the detail chart
// (the chosen dates, zoomed in) and for the overview strip (every date, where brushing zooms).
import { axisBottom, axisLeft } from "d3-axis";
import { brushX } from "d3-brush";
import { scaleLinear, scaleSymlog, scaleUtc } from "d3-scale";
import { pointer, select } from "d3-selection";
import { s, formatNumber } from "../dom.js";
import { DAY, bucketAt, bucketLabel, bucketSpan, floorBucket, parseDay, snapRange } from "./timeline-dates.js";

/**
 * An <svg> for `buckets` over the dates `domain`.
 * opts: {width, height, margin, interval, keys, color, name, scale: "log"|"linear", selected (the
 *        chosen dates: bars outside them are dimmed), brushed (the dates the brush shows), overview
 *        (bars one colour, no y axis), testid, label, onRange({since, until}) -> changed?, onHover(bucket)}.
 * On a log scale a bar's height is log(1 + total) and its colours split that height in proportion
 * to their counts, so one busy week does not flatten every other bar into a hairline.
 */
export function drawChart(buckets, domain, opts) {
  const { width, height, margin: m, interval, keys, color, scale, selected, brushed, overview } = opts;
  const x = scaleUtc().domain(domain).range([m.left, width - m.right]);
  const maxTotal = Math.max(1, ...buckets.map((b) => b.total));
  const y = (scale === "log" ? scaleSymlog().constant(1) : scaleLinear())
    .domain([0, maxTotal]).range([height - m.bottom, m.top]);
  if (scale !== "log") y.nice();
  const [left, right] = x.range();
  const clamp = (px) => Math.max(left, Math.min(right, px));

  const svg = s("svg", { width, height, class: `timeline-svg${overview ? " timeline-overview" : ""}`,
    "data-testid": opts.testid, "data-scale": scale, role: "img",
    "aria-label": opts.label });
  const bars = s("g", { class: "bars" });
  for (const b of buckets) {
    const [start, end] = bucketSpan(b);
    const x0 = clamp(x(start));
    const x1 = clamp(x(end));
    if (x1 - x0 < 0.5) continue; // wholly outside the domain
    const pad = Math.min(2, (x1 - x0) * 0.15);
    const outside = selected && !(start < selected[1] && end > selected[0]);
    const full = y(0) - y(b.total); // the whole bar's height; its keys share it in proportion
    let top = y(0);
    const parts = overview ? [["all", b.total]] : keys.filter((k) => b.counts[k]).map((k) => [k, b.counts[k]]);
    for (const [k, n] of parts) {
      const h = (full * n) / b.total;
      bars.appendChild(s("rect", {
        "data-testid": overview ? "timeline-overview-bar" : "timeline-bar", "data-start": b.start,
        "data-key": k, "data-count": n, "data-total": b.total, class: outside ? "outside" : null,
        x: x0 + pad, width: Math.max(1, x1 - x0 - 2 * pad), y: top - h, height: Math.max(0, h),
        fill: overview ? "#8a9bb0" : color(k),
      }, s("title", {}, `${bucketLabel(b, interval)}: ${formatNumber(n)} ${overview ? "events" : opts.name(k)}`)));
      top -= h;
    }
  }
  svg.appendChild(bars);

  if (!overview) {
    select(svg).append("g").attr("class", "axis axis-y").attr("transform", `translate(${m.left},0)`)
      .call(axisLeft(y).tickValues(countTicks(maxTotal, scale)).tickFormat((v) => formatNumber(v)).tickSizeOuter(0));
  }
  const ticks = dateTicks(x, interval, Math.max(2, Math.floor(width / 90)));
  select(svg).append("g").attr("class", "axis axis-x").attr("transform", `translate(0,${height - m.bottom})`)
    .call(axisBottom(x).tickValues(ticks).tickFormat(x.tickFormat()).tickSizeOuter(0));

  // The brush sits on top of the bars: a drag selects a range, a click or tap the bucket under it.
  const brush = brushX().extent([[left, m.top], [right, height - m.bottom]]);
  const group = select(svg).append("g").attr("class", "brush");
  brush.on("end", (event) => {
    if (!event.sourceEvent) return; // our own brush.move
    let range = null;
    if (event.selection) {
      const [a, b] = event.selection.map((px) => x.invert(px));
      // the bucket holding the selection's end, not the next one when the end sits on its boundary
      range = snapRange(a, new Date(+b - 1), interval);
    } else {
      const hit = bucketAt(buckets, x.invert(pointerX(event.sourceEvent, group.node())));
      if (hit) range = snapRange(parseDay(hit.start), parseDay(hit.start), interval);
    }
    if (!range || !opts.onRange(range)) group.call(brush.move, selectionPixels(brushed, x)); // nothing changed
  });
  group.call(brush);
  group.call(brush.move, selectionPixels(brushed, x));
  group.on("pointermove.readout", (event) => {
    const b = bucketAt(buckets, x.invert(pointer(event, svg)[0]));
    opts.onHover(b || null);
  }).on("pointerleave.readout", () => opts.onHover(null));
  return svg;
}

/** The x of a mouse or touch event in `node`'s coordinates (a TouchEvent has no clientX). */
function pointerX(event, node) {
  const touch = event.changedTouches?.[0];
  return pointer(touch || event, node)[0];
}

/** Whole counts to label: 0, 1, 10, 100 ... on a log scale; a few round numbers on a linear one. */
function countTicks(max, scale) {
  if (scale !== "log") {
    return scaleLinear().domain([0, max]).nice().ticks(Math.min(4, max)).filter(Number.isInteger);
  }
  const steps = max >= 30 ? [1] : [1, 2, 5];
  const out = [0];
  for (let p = 1; p <= max; p *= 10) for (const k of steps) if (k * p <= max) out.push(k * p);
  if (out[out.length - 1] < max * 0.8) out.push(max); // label the top of the tallest bar
  return out;
}

/** Date ticks never finer than the bars: whole days (first days of months for month bars), so a
 * short range is labelled in days, not hours. Falls back to the domain's first bucket start. */
function dateTicks(x, interval, count) {
  const whole = (t) => t.getUTCHours() === 0 && t.getUTCMinutes() === 0 && (interval !== "month" || t.getUTCDate() === 1);
  const ticks = x.ticks(count).filter(whole);
  if (ticks.length >= 2) return ticks;
  // few whole days in view: label every bucket start in the domain (at most `count` of them)
  const [a, b] = x.domain();
  const out = [];
  for (let t = floorBucket(new Date(+a + DAY - 1), interval); t <= b && out.length < 50; t = next(t, interval)) {
    if (t >= a) out.push(t);
  }
  const every = Math.ceil(out.length / count);
  return out.filter((_, i) => i % every === 0);
}

function next(t, interval) {
  return interval === "month" ? new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1))
    : new Date(+t + (interval === "week" ? 7 : 1) * DAY);
}

/** The selected dates as brush pixels, clamped to the chart; null when nothing of it is in view. */
function selectionPixels(selected, x) {
  if (!selected) return null;
  const [lo, hi] = x.range();
  const a = Math.max(lo, Math.min(hi, x(selected[0])));
  const b = Math.max(lo, Math.min(hi, x(selected[1])));
  return b - a >= 1 ? [a, b] : null;
}
