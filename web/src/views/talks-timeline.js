// One negotiation process drawn as a timeline: a band of the states the process went through, then
// one lane per party and per mediator. Each move is a mark at its date on the lane of its actor (the
// mediator's lane for mediation); a move by both sides is one mark on each of their lanes, joined.
// Responses are joined to what they answer by a dashed curve. Every mark is a link to its sentence.
import { scaleUtc } from "d3-scale";
import { symbol, symbolCircle, symbolCross, symbolDiamond, symbolSquare, symbolStar, symbolTriangle, symbolWye } from "d3-shape";
import { s } from "../dom.js";

const DAY = 86_400_000;
const LANE_H = 34;
const STATE_H = 22;
const LABEL_W = 118; // the lane names, left of the chart
const LABEL_W_NARROW = 64;

// Move kinds: what they look like. Colours are for shapes (with a dark edge), never for text.
export const MOVES = {
  proposal: { label: "proposal", color: "#2f6db5", shape: symbolTriangle },
  counter_proposal: { label: "counter-proposal", color: "#6a51a3", shape: symbolTriangle },
  talks: { label: "talks", color: "#8a8f98", shape: symbolCircle },
  mediation: { label: "mediation", color: "#b07aa1", shape: symbolCircle },
  reject: { label: "rejection", color: "#d9822b", shape: symbolCross },
  accept: { label: "acceptance", color: "#59a14f", shape: symbolSquare },
  agreement: { label: "agreement", color: "#2e7d32", shape: symbolSquare },
  implementation: { label: "implementation", color: "#17a2a2", shape: symbolDiamond },
  violation: { label: "violation", color: "#d62728", shape: symbolStar },
  suspension: { label: "suspension", color: "#a05a2c", shape: symbolWye },
  collapse: { label: "collapse", color: "#7f1d1d", shape: symbolWye },
};
const OTHER_MOVE = { label: "move", color: "#999", shape: symbolCircle };
export const moveStyle = (move) => MOVES[move] || OTHER_MOVE;

// States: light fills, so their dark labels read at 4.5:1 or better.
export const STATE_FILLS = {
  proposed: "#dbe8f6", "under talks": "#ececef", agreed: "#d5ecd4", "in effect": "#cdeeee",
  violated: "#f8d4d4", suspended: "#f1e2d3", collapsed: "#e7c9c9",
};

const parseDay = (d) => (d ? Date.parse(`${String(d).slice(0, 10)}T00:00:00Z`) : NaN);

/**
 * The lanes of a process: its parties, then its mediators, then "other" when a move's actor is
 * neither. Each lane is {key, code, name, role}.
 */
export function lanesOf(process) {
  const names = new Map();
  for (const m of process.timeline || []) {
    for (const a of [...(m.actors || []), ...(m.recipients || [])]) {
      if (a.country && !names.has(a.country)) names.set(a.country, a.name);
    }
  }
  const lanes = [];
  const seen = new Set();
  for (const code of process.parties || []) {
    if (seen.has(code)) continue;
    seen.add(code);
    lanes.push({ key: code, code, name: countryName(code, names), role: "party" });
  }
  for (const med of process.mediators || []) {
    const code = med.country || med.name;
    if (!code || seen.has(code)) continue;
    seen.add(code);
    lanes.push({ key: code, code, name: med.name || code, role: "mediator" });
  }
  return lanes;
}

function countryName(code, names) {
  const name = names.get(code);
  // "Bolivian envoys" names a country's people; prefer a short name when one is plain
  return name && !/\s/.test(name) ? name : code;
}

/** The lanes a move is drawn on: its actors' lanes; a mediation on its mediators'; else "other". */
export function laneKeysOf(move, lanes) {
  const keys = new Set(lanes.map((l) => l.key));
  const mediators = (move.mediators || []).map((m) => m.country || m.name).filter((k) => keys.has(k));
  if (move.move === "mediation" && mediators.length) return mediators;
  const actors = [...new Set((move.actors || []).map((a) => a.country).filter((k) => keys.has(k)))];
  if (actors.length) return actors;
  if (mediators.length) return mediators;
  const parties = (move.parties || []).filter((k) => keys.has(k));
  if (parties.length === 1) return parties;
  return ["other"];
}

/**
 * What each response answers: event id -> the event id of the proposal (round) it answers, from the
 * terms history's `responses` and, within one article, the move's own `responds_to`.
 */
export function answersOf(process) {
  const out = new Map();
  for (const round of process.terms_history || []) {
    for (const r of round.responses || []) out.set(r.event_id, round.event_id);
  }
  for (const m of process.timeline || []) if (m.responds_to) out.set(m.event_id, m.responds_to);
  return out;
}

/**
 * The chart: an <svg> whose marks are `g.talk-move` (data-event, data-move, data-lanes), each a
 * link to `hrefOf(move)`. opts: {width, onOpen(move)}.
 */
export function drawTalkTimeline(process, opts) {
  const width = Math.max(300, opts.width || 800);
  const narrow = width < 560;
  const labelW = narrow ? LABEL_W_NARROW : LABEL_W;
  const moves = (process.timeline || []).filter((m) => Number.isFinite(parseDay(m.date)));
  const lanes = lanesOf(process);
  const drawnOn = new Map(moves.map((m) => [m.event_id, laneKeysOf(m, lanes)]));
  if ([...drawnOn.values()].some((ks) => ks.includes("other"))) {
    lanes.push({ key: "other", code: "", name: "other", role: "other" });
  }
  const top = STATE_H + 14;
  const laneY = new Map(lanes.map((l, i) => [l.key, top + i * LANE_H + LANE_H / 2]));
  const height = top + lanes.length * LANE_H + 26;

  const days = moves.map((m) => parseDay(m.date));
  const first = Math.min(...days, parseDay(process.first_date));
  const last = Math.max(...days, parseDay(process.last_date));
  const pad = Math.max(DAY, (last - first) * 0.04);
  const x = scaleUtc().domain([first - pad, last + pad]).range([labelW + 8, width - 14]);

  const svg = s("svg", {
    class: "talks-svg", viewBox: `0 0 ${width} ${height}`, width, height, role: "group", "data-testid": "talks-chart",
    "aria-label": `Timeline of the ${process.process || "process"}: one lane per party and mediator; `
      + "arrow keys move between moves, Enter opens a move's sentence",
  });

  // -- the state band ---------------------------------------------------------------------------
  const band = s("g", { class: "talks-states", "data-testid": "talks-state-band" });
  const states = process.states || [];
  states.forEach((st, i) => {
    const x0 = x(parseDay(st.since));
    const x1 = i + 1 < states.length ? x(parseDay(states[i + 1].since)) : x.range()[1];
    const w = Math.max(2, x1 - x0);
    const rect = s("rect", { x: x0, y: 4, width: w, height: STATE_H, rx: 3, class: "talks-state", "data-state": st.state },
      s("title", {}, `${st.state} from ${st.since} (${st.move})`));
    rect.style.fill = STATE_FILLS[st.state] || "#eee";
    band.append(rect);
    if (w > st.state.length * 6.2 + 6) {
      band.append(s("text", { x: x0 + 4, y: 4 + STATE_H / 2 + 4, class: "talks-state-label" }, st.state));
    }
  });
  band.append(s("text", { x: 4, y: 4 + STATE_H / 2 + 4, class: "talks-lane-label" }, "state"));
  svg.append(band);

  // -- lanes and the date axis ------------------------------------------------------------------
  const laneLayer = s("g", { class: "talks-lanes" });
  for (const lane of lanes) {
    const y = laneY.get(lane.key);
    laneLayer.append(
      s("line", { x1: labelW + 4, x2: width - 6, y1: y, y2: y, class: `talks-lane talks-lane-${lane.role}` }),
      s("text", { x: 4, y: y - 2, class: "talks-lane-label", "data-testid": "talks-lane", "data-lane": lane.key, "data-role": lane.role },
        narrow ? (lane.code || lane.name) : lane.name,
        s("title", {}, `${lane.name}${lane.code ? ` (${lane.code})` : ""}: ${lane.role}`)),
      s("text", { x: 4, y: y + 11, class: "talks-lane-role" }, lane.role === "other" ? "" : lane.role));
  }
  svg.append(laneLayer);
  const axis = s("g", { class: "talks-axis" });
  const axisY = height - 18;
  axis.append(s("line", { x1: x.range()[0], x2: x.range()[1], y1: axisY, y2: axisY }));
  const ticks = x.ticks(Math.max(4, Math.floor((width - labelW) / 130)));
  const format = x.tickFormat(ticks.length);
  for (const t of ticks) {
    axis.append(s("line", { x1: x(t), x2: x(t), y1: axisY, y2: axisY + 4 }),
      s("text", { x: x(t), y: axisY + 15, "text-anchor": "middle" }, format(t)));
  }
  svg.append(axis);

  // -- marks: same day, same lane moves step aside so none hides another ------------------------
  const slots = new Map(); // "lane|day" -> how many marks are there already
  const pos = new Map(); // event id -> [{lane, x, y}]
  for (const m of moves) {
    const day = parseDay(m.date);
    const keys = drawnOn.get(m.event_id);
    const slot = Math.max(...keys.map((k) => slots.get(`${k}|${day}`) || 0));
    for (const k of keys) slots.set(`${k}|${day}`, slot + 1);
    const dx = slot === 0 ? 0 : (slot % 2 ? 1 : -1) * Math.ceil(slot / 2) * 11;
    pos.set(m.event_id, keys.map((k) => ({ lane: k, x: x(day) + dx, y: laneY.get(k) })));
  }

  // responses: a dashed curve from the answer back to what it answers
  const answers = answersOf(process);
  const links = s("g", { class: "talks-links" });
  for (const [from, to] of answers) {
    const a = pos.get(from)?.[0];
    const b = pos.get(to)?.[0];
    if (!a || !b) continue;
    const lift = a.y === b.y ? -14 : 0;
    links.append(s("path", {
      class: "talks-answer", "data-testid": "talks-answer", "data-from": from, "data-to": to,
      d: `M${a.x},${a.y} C${a.x},${a.y + lift - 6} ${b.x},${b.y + lift - 6} ${b.x},${b.y}`,
    }));
  }
  svg.append(links);

  const marks = s("g", { class: "talks-marks" });
  const byId = new Map(moves.map((m) => [m.event_id, m]));
  for (const m of moves) {
    const style = moveStyle(m.move);
    const at = pos.get(m.event_id);
    const expected = m.modality && m.modality !== "asserted";
    const path = symbol(style.shape, m.move === "reject" || m.move === "violation" ? 110 : 90)();
    const answered = answers.get(m.event_id) && byId.get(answers.get(m.event_id));
    const tip = [
      `${m.date}: ${style.label}${expected ? ` (${m.modality})` : ""}`,
      who(m),
      m.state_changed && !expected ? `state: ${m.state}` : null,
      answered ? `answers the ${moveStyle(answered.move).label} of ${answered.date}` : null,
      m.evidence?.text ? `\u201c${m.evidence.text}\u201d` : null,
      "Enter or click: open its sentence",
    ].filter(Boolean).join("\n");
    const g = s("g", {
      class: `talk-move${expected ? " expected" : ""}`, "data-testid": "talks-move", "data-event": m.event_id,
      "data-move": m.move, "data-date": m.date, "data-lanes": at.map((p) => p.lane).join(" "),
      "data-article": m.article?.id, tabindex: 0, role: "link",
      "aria-label": `${m.date} ${style.label}${expected ? ` (${m.modality})` : ""} by ${who(m)}`,
      onclick: () => opts.onOpen(m),
      onkeydown: (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); opts.onOpen(m); } },
    }, s("title", {}, tip));
    if (at.length > 1) {
      const ys = at.map((p) => p.y);
      g.append(s("line", { class: "talk-joint", x1: at[0].x, x2: at[0].x, y1: Math.min(...ys), y2: Math.max(...ys) }));
    }
    for (const p of at) {
      const mark = s("path", { d: path, transform: `translate(${p.x},${p.y})`, class: "talk-mark" });
      mark.style.fill = expected ? "#fff" : style.color;
      mark.style.stroke = expected ? style.color : "#1d1d1f";
      g.append(s("circle", { cx: p.x, cy: p.y, r: 11, class: "talk-hit" }), mark);
    }
    marks.append(g);
  }
  svg.append(marks);
  return svg;
}

function who(m) {
  const names = (list) => (list || []).map((a) => a.name || a.country).filter(Boolean).join(", ");
  const actors = names(m.actors) || names(m.mediators) || "an unnamed side";
  const recipients = names(m.recipients);
  return recipients ? `${actors} \u2192 ${recipients}` : actors;
}

/** The legend under the chart: each move kind drawn, and what a hollow mark and a dashed line mean. */
export function legendItems(process) {
  const kinds = [...new Set((process.timeline || []).map((m) => m.move))];
  return kinds.map((k) => {
    const style = moveStyle(k);
    const mark = s("path", { d: symbol(style.shape, 70)(), transform: "translate(8,8)" });
    mark.style.fill = style.color;
    mark.style.stroke = "#1d1d1f";
    return { kind: k, label: style.label, icon: s("svg", { width: 16, height: 16, class: "talks-legend-icon", "aria-hidden": "true" }, mark) };
  });
}
