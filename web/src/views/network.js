// The actor network: who did what to whom. Nodes are actor codes (countries, IGOs, non-state codes),
// edges are events from an actor's code to a recipient's code (GET /network), so clicking an edge
// filters to exactly its events (actor=<source>&recipient=<target>).
import { forceCenter, forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY } from "d3-force";
import { scaleLinear, scaleSqrt } from "d3-scale";
import { h, s, replace, notice, formatNumber, QUAD_NAMES } from "../dom.js";
import { rovingFocus } from "../roving.js";
import "./network.css";

const WIDTH = 640;
const HEIGHT = 420;
const PAD = 14;
const TICKS = 300; // enough for the default alpha decay to reach alphaMin
const NODES = 40; // more than this is a hairball at this size
const LOOP_R = 8; // radius of a self-loop (an actor acting on its own side)

// Cooperation (0) to conflict (1), through grey so a mixed edge does not read as either.
const conflictColor = scaleLinear().domain([0, 0.5, 1]).range(["#2b6cb0", "#a3a3a8", "#c53030"]).clamp(true);

export function createNetwork(el, ctx) {
  const run = ctx.latest();
  // nodes then edges are one Tab stop, the arrow keys move between them
  const refreshFocus = rovingFocus(el, [".network-node", ".network-edge"],
    (g) => g.dataset.id || `${g.dataset.source}>${g.dataset.target}`);
  let shownKey = null; // the filters of the graph on screen: paging the table must not redraw it

  return {
    async update(state) {
      const params = ctx.filterParams(state);
      params.set("nodes", String(NODES));
      const key = params.toString();
      if (key === shownKey) {
        markSelection(el, state.filters);
        return;
      }
      shownKey = key;
      if (!el.querySelector("svg")) notice(el, "Loading the actor network\u2026");
      el.classList.add("is-loading");
      let data;
      try {
        data = await run((signal) => ctx.api("/network", params, { signal }));
      } catch (err) {
        shownKey = null;
        el.classList.remove("is-loading");
        notice(el, `Could not load the network: ${err.message}`, "error");
        return;
      }
      if (data === undefined) return; // superseded by a newer request
      el.classList.remove("is-loading");
      render(el, ctx, data);
      refreshFocus();
      markSelection(el, state.filters);
    },
  };
}

function render(el, ctx, data) {
  const nodes = data.nodes.map((n) => ({ ...n }));
  const edges = data.edges.map((e) => ({ ...e }));
  const title = h("h2", {}, "Actor network",
    h("small", {}, `${nodes.length >= NODES ? "the largest " : ""}${formatNumber(nodes.length)} actors, `
      + `${formatNumber(edges.length)} links`));
  const note = h("p", { class: "network-note", "data-testid": "network-note" },
    `${formatNumber(data.not_drawn)} matching ${data.not_drawn === 1 ? "event is" : "events are"} not drawn: `
    + "no actor or no recipient with a country or organization code.");
  if (!nodes.length) {
    replace(el, title, h("p", { class: "notice" }, "No coded actors among the matching events."), note);
    return;
  }

  // the more actors, the smaller each circle, so forty still fit the frame without piling up
  const rMax = Math.max(12, Math.min(28, 100 / Math.sqrt(nodes.length)));
  const radius = scaleSqrt().domain([1, Math.max(1, ...nodes.map((n) => n.events))])
    .range([rMax > 20 ? 10 : 7, rMax]).clamp(true);
  const width = scaleSqrt().domain([1, Math.max(1, ...edges.map((e) => e.events))])
    .range([1.3, rMax > 20 ? 7 : 5]).clamp(true);
  for (const n of nodes) n.r = radius(n.events);
  for (const e of edges) e.w = width(e.events);
  layout(nodes, edges);

  const byId = new Map(nodes.map((n) => [n.id, n]));
  const pairs = new Set(edges.map((e) => `${e.source}\u0000${e.target}`));
  const svg = s("svg", { class: "network-svg", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "group",
    "aria-label": "Actor network: arrows go from actor to recipient" });
  // Three layers, bottom to top: the edges' wide invisible hit strips, the edges as drawn, the nodes.
  // Every hit strip lies under every visible line and arrow, so a click on what you see selects
  // that edge, and the strips only catch clicks that miss all drawn paint.
  const hitLayer = s("g", { class: "network-hits", "aria-hidden": "true" });
  const edgeLayer = s("g", { class: "network-edges" });
  const nodeLayer = s("g", { class: "network-nodes" });
  svg.append(hitLayer, edgeLayer, nodeLayer);

  const drawn = edges.filter((e) => byId.has(e.source) && byId.has(e.target)).map((e) => {
    const source = byId.get(e.source);
    const target = byId.get(e.target);
    const reciprocal = e.source !== e.target && pairs.has(`${e.target}\u0000${e.source}`);
    const parts = edgeElement(e, source, target, ctx);
    hitLayer.append(parts.hit);
    edgeLayer.append(parts.g);
    return { ...parts, e, source, target, reciprocal };
  });
  for (const n of nodes) n.neighbors = [];
  for (const { source, target } of drawn) {
    if (source === target) continue;
    source.neighbors.push(target);
    target.neighbors.push(source);
  }
  const redraw = () => drawn.forEach((d) => placeEdge(d));
  redraw();
  for (const n of nodes) nodeLayer.append(nodeElement(n, ctx, svg, redraw));

  replace(el, title, svg, legend(), codeLegend(nodes), note);
}

/** A fixed number of synchronous ticks from d3's deterministic start (phyllotaxis, seeded jiggle). */
function layout(nodes, edges) {
  const ids = new Set(nodes.map((n) => n.id));
  const links = edges.filter((e) => e.source !== e.target && ids.has(e.source) && ids.has(e.target))
    .map((e) => ({ source: e.source, target: e.target })); // copies: forceLink swaps ids for nodes
  const spacing = Math.sqrt((WIDTH * HEIGHT) / nodes.length); // the room each actor would have on a grid
  const sim = forceSimulation(nodes)
    .force("link", forceLink(links).id((n) => n.id).distance((l) => l.source.r + l.target.r + spacing * 0.35))
    .force("charge", forceManyBody().strength(-spacing * 1.8))
    .force("center", forceCenter(WIDTH / 2, HEIGHT / 2))
    // weak pull to the middle keeps unconnected actors from drifting out of the frame
    .force("x", forceX(WIDTH / 2).strength(0.05))
    .force("y", forceY(HEIGHT / 2).strength(0.07))
    .force("collide", forceCollide((n) => n.r + LOOP_R))
    .force("clear", forceEdgeClearance(links, 12))
    .stop();
  sim.tick(TICKS);
  fit(nodes);
}

/**
 * Push nodes off links they are not part of: a line through a third node reads as two links
 * (A -> B drawn across C looks like A -> C -> B), and would hide the link's middle from a click.
 */
function forceEdgeClearance(links, margin) {
  let nodes = [];
  function force(alpha) {
    for (const { source: a, target: b } of links) {
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const len2 = dx * dx + dy * dy || 1;
      for (const n of nodes) {
        if (n === a || n === b) continue;
        const t = ((n.x - a.x) * dx + (n.y - a.y) * dy) / len2;
        if (t <= 0 || t >= 1) continue;
        let px = n.x - (a.x + t * dx);
        let py = n.y - (a.y + t * dy);
        let dist = Math.hypot(px, py);
        const gap = n.r + margin - dist;
        if (gap <= 0) continue;
        if (dist < 1e-6) { // dead centre: step off to the link's left
          px = -dy;
          py = dx;
          dist = Math.sqrt(len2);
        }
        const k = (3 * gap * alpha) / dist;
        n.vx += px * k;
        n.vy += py * k;
        // and the link gives way a little the other way
        for (const m of [a, b]) {
          m.vx -= px * k * 0.25;
          m.vy -= py * k * 0.25;
        }
      }
    }
  }
  force.initialize = (all) => { nodes = all; };
  return force;
}

/** Scale the layout's positions (not its sizes) to fill the frame without spilling over. */
function fit(nodes) {
  // centres scale, radii do not: leave room for the largest node and a self-loop on any side
  const reach = Math.max(...nodes.map((n) => n.r)) + 2 * LOOP_R;
  const x0 = Math.min(...nodes.map((n) => n.x));
  const x1 = Math.max(...nodes.map((n) => n.x));
  const y0 = Math.min(...nodes.map((n) => n.y));
  const y1 = Math.max(...nodes.map((n) => n.y));
  const k = Math.min(1.4, (WIDTH - 2 * (PAD + reach)) / (x1 - x0 || 1), (HEIGHT - 2 * (PAD + reach)) / (y1 - y0 || 1));
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  for (const n of nodes) {
    n.x = WIDTH / 2 + (n.x - cx) * k;
    n.y = HEIGHT / 2 + (n.y - cy) * k;
  }
}

function edgeElement(e, source, target, ctx) {
  const color = conflictColor(e.conflict_share);
  const quads = Object.entries(e.by_quad).sort()
    .map(([q, n]) => `${QUAD_NAMES[q] || `quad ${q}`}: ${formatNumber(n)}`).join(", ");
  const tip = `${source.label} (${e.source}) \u2192 ${target.label} (${e.target}): `
    + `${formatNumber(e.events)} ${e.events === 1 ? "event" : "events"}\n${quads}\n`
    + `${Math.round(e.conflict_share * 100)}% conflict. Click to list these events.`;
  const select = () => ctx.setFilters({ actor: e.source, recipient: e.target });
  // a wide invisible stroke in the layer below, so thin edges are easy to hit; it lights up its edge,
  // and shows faintly when the edge is selected or has the keyboard focus
  const hit = s("path", {
    class: "edge-hit", fill: "none", stroke: "transparent", "data-source": e.source, "data-target": e.target,
    onclick: select,
    onpointerenter: () => g.classList.add("hover"),
    onpointerleave: () => g.classList.remove("hover"),
  }, s("title", {}, tip));
  const line = s("path", { class: "edge-line", fill: "none", stroke: color, "stroke-width": e.w.toFixed(2) });
  const arrow = s("path", { class: "edge-arrow", fill: color });
  const g = s("g", {
    class: "network-edge", "data-testid": "network-edge", "data-source": e.source, "data-target": e.target,
    "data-count": e.events, tabindex: 0, role: "button",
    "aria-label": `${e.source} to ${e.target}, ${e.events} events`,
    onclick: select,
    onkeydown: (ev) => { if (ev.key === "Enter") select(); },
    onfocus: () => hit.classList.toggle("focused", g.matches(":focus-visible")),
    onblur: () => hit.classList.remove("focused"),
  }, s("title", {}, tip), line, arrow);
  return { g, line, arrow, hit };
}

/**
 * Straight arrows from boundary to boundary; A->B and B->A run side by side, each on its own right,
 * far enough apart that neither arrowhead crosses the centre line between them. Their hit strips
 * each cover one side of that centre line, from it outwards, so they meet there and never overlap.
 */
function placeEdge({ line, arrow, hit, e, source, target, reciprocal }) {
  const head = 4 + e.w * 1.6; // arrowhead length grows with the stroke
  const half = head * 0.45; // half the arrowhead's width, which is wider than the stroke
  let hitWidth = Math.max(12, e.w + 8);
  if (source === target) {
    // a loop on the node's emptiest side, ending in an arrow pointing back into it; drawn pointing
    // up around the origin, then turned into place
    const r = source.r;
    const cy = -(r + LOOP_R - 3);
    const turn = `translate(${source.x},${source.y}) rotate(${loopAngle(source) + 90})`;
    line.setAttribute("d", `M-4,${cy + LOOP_R - 1} A${LOOP_R},${LOOP_R} 0 1 1 4,${cy + LOOP_R - 1}`);
    arrow.setAttribute("d", `M4,${-r} L${4 - head / 2},${-r - head} L${4 + head / 2},${-r - head}Z`);
    hit.setAttribute("d", `M${LOOP_R},${cy} A${LOOP_R},${LOOP_R} 0 1 1 ${LOOP_R},${cy + 0.01}Z`);
    hit.setAttribute("fill", "transparent"); // the loop's inside is clickable too
    hit.setAttribute("stroke-width", "4");
    for (const path of [line, arrow, hit]) path.setAttribute("transform", turn);
    return;
  }
  const dx = target.x - source.x;
  const dy = target.y - source.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  // perpendicular shift to the right of travel, of the drawn line and of the hit strip's middle
  const off = reciprocal ? Math.max(e.w / 2 + 2, half + 1) : 0;
  let hitOff = 0;
  if (reciprocal) {
    hitWidth = Math.max(hitWidth, off + half + 3); // reach past the arrowhead's outer corner
    hitOff = hitWidth / 2; // inner edge exactly on the centre line
  }
  const along = (r) => Math.sqrt(Math.max(0, r * r - off * off));
  const a0 = along(source.r);
  const a1 = len - along(target.r) - 1; // the arrow's tip
  const xy = (a, o) => [source.x + ux * a - uy * o, source.y + uy * a + ux * o];
  const at = (a, o) => xy(a, o).join(",");
  const b = a1 - head; // where the shaft ends and the head begins
  line.setAttribute("d", `M${at(a0, off)} L${at(b, off)}`);
  arrow.setAttribute("d", `M${at(a1, off)} L${at(b, off + half)} L${at(b, off - half)}Z`);
  hit.setAttribute("d", `M${at(a0, hitOff)} L${at(a1, hitOff)}`);
  hit.setAttribute("stroke-width", hitWidth.toFixed(2));
}

/** The direction (degrees) facing away from a node's links, where its self-loop collides least. */
function loopAngle(n) {
  let x = 0;
  let y = 0;
  for (const m of n.neighbors) {
    const d = Math.hypot(m.x - n.x, m.y - n.y) || 1;
    x += (m.x - n.x) / d;
    y += (m.y - n.y) / d;
  }
  if (Math.hypot(x, y) < 0.3) return -90; // no links, or balanced all round: straight up
  return (Math.atan2(-y, -x) * 180) / Math.PI;
}

function nodeElement(n, ctx, svg, redraw) {
  const sectors = Object.entries(n.sectors || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([sector, k]) => `${sector} ${formatNumber(k)}`).join(", ");
  const tip = `${n.label} (${n.id})\n${formatNumber(n.events)} ${n.events === 1 ? "event" : "events"}: `
    + `${formatNumber(n.as_actor)} as actor, ${formatNumber(n.as_recipient)} as recipient`
    + (sectors ? `\nSectors: ${sectors}` : "") + "\nClick to filter to this actor on either side.";
  const select = () => ctx.setFilters({ country: n.id });
  const g = s("g", {
    class: "network-node", "data-testid": "network-node", "data-id": n.id, "data-count": n.events,
    transform: `translate(${n.x},${n.y})`, tabindex: 0, role: "button", "aria-label": `${fullName(n)} (${n.id}), ${n.events} events`,
    onkeydown: (ev) => { if (ev.key === "Enter") select(); },
  },
  s("title", {}, tip),
  s("circle", { r: n.r.toFixed(2) }),
  s("text", { "text-anchor": "middle", dy: "0.35em" }, n.id),
  // the name under the circle: "Palestine" for PSE, not only the code
  s("text", { class: "node-name", "text-anchor": "middle", y: (n.r + 11).toFixed(1) }, shortName(n)));
  draggable(g, n, svg, redraw, select);
  return g;
}

/** Drag a node to untangle the picture; a press without movement is a click. */
function draggable(g, n, svg, redraw, click) {
  let start = null;
  let moved = false;
  const point = (ev) => new DOMPoint(ev.clientX, ev.clientY).matrixTransform(svg.getScreenCTM().inverse());
  g.addEventListener("pointerdown", (ev) => {
    if (ev.button !== 0) return;
    start = { p: point(ev), x: n.x, y: n.y };
    moved = false;
    g.setPointerCapture(ev.pointerId);
  });
  g.addEventListener("pointermove", (ev) => {
    if (!start) return;
    const p = point(ev);
    const dx = p.x - start.p.x;
    const dy = p.y - start.p.y;
    if (!moved && Math.hypot(dx, dy) < 3) return;
    moved = true;
    g.classList.add("dragging");
    const reach = n.r + 2 * LOOP_R; // keep the node, and a self-loop on any side, in the frame
    n.x = Math.max(reach, Math.min(WIDTH - reach, start.x + dx));
    n.y = Math.max(reach, Math.min(HEIGHT - reach, start.y + dy));
    g.setAttribute("transform", `translate(${n.x},${n.y})`);
    redraw();
  });
  const end = () => { start = null; g.classList.remove("dragging"); };
  g.addEventListener("pointerup", end);
  g.addEventListener("pointercancel", end);
  g.addEventListener("click", () => { if (!moved) click(); moved = false; });
}

// PLOVER and CAMEO codes that are not countries, for nodes the store has no name for.
const CODE_NAMES = {
  IGO: "intergovernmental organization", IMG: "international militarized group", NGO: "non-governmental organization",
  MNC: "multinational corporation", UNO: "United Nations", EUR: "Europe / European Union", AFR: "Africa",
  ASA: "Asia", MEA: "Middle East", NMR: "North America", SAM: "South America", WSB: "West Bank", GZS: "Gaza Strip",
};

function fullName(n) {
  return n.label && n.label !== n.id ? n.label : CODE_NAMES[n.id] || n.id;
}

/** A node's name cut to fit under it: the part before a comma ("Palestine, State of"), at most 16 letters. */
function shortName(n) {
  const name = fullName(n).split(",")[0].trim();
  return name.length > 16 ? `${name.slice(0, 15)}\u2026` : name;
}

/** What each code drawn stands for, most events first. */
function codeLegend(nodes) {
  const items = [...nodes].sort((a, b) => b.events - a.events).map((n) => h("span", { class: "network-code" },
    h("b", {}, n.id), " ", fullName(n)));
  return h("p", { class: "network-codes", "data-testid": "network-codes" }, h("span", {}, "Codes: "), items);
}

function legend() {
  const stops = [0, 0.25, 0.5, 0.75, 1];
  return h("div", { class: "legend network-legend", "data-testid": "network-legend" },
    h("span", { class: "network-scale" },
      h("span", {}, "cooperation"),
      stops.map((t) => {
        const sw = h("span", { class: "swatch", title: `${t * 100}% conflict` });
        sw.style.background = conflictColor(t);
        return sw;
      }),
      h("span", {}, "conflict")),
    h("span", {}, "arrow: actor \u2192 recipient; width: events; circle: events either side"));
}

/** Outline the node or edge that the current filters select. */
function markSelection(el, filters) {
  el.querySelectorAll(".network-edge, .edge-hit").forEach((g) => g.classList.toggle("selected",
    g.dataset.source === filters.actor && g.dataset.target === filters.recipient));
  el.querySelectorAll(".network-node").forEach((g) => g.classList.toggle("selected", g.dataset.id === filters.country));
}
