// The map: where the matching events happened. Country outlines come from the world-atlas package
// (Natural Earth, public domain) bundled into the app, so nothing is fetched from a tile server.
// Places are pies of their events by quad class, clustered with supercluster when they crowd each
// other at the current zoom; clicking a place filters to it, clicking a cluster zooms in to it.
// Events known only to their country are no point: their country is shaded (and clicks filter).
import world from "world-atlas/countries-110m.json";
import { feature } from "topojson-client";
import { geoGraticule10, geoNaturalEarth1, geoPath } from "d3-geo";
import { zoom, zoomIdentity } from "d3-zoom";
import { select } from "d3-selection";
import { arc, pie } from "d3-shape";
import Supercluster from "supercluster";
import { h, s, replace, notice, formatNumber, QUAD_NAMES, QUAD_COLORS } from "../dom.js";
import { rovingFocus } from "../roving.js";
import "./map.css";

const PLACE_LIMIT = 1000;
const MAX_SCALE = 64; // 2^6: at the deepest zoom every place is drawn on its own
const CLUSTER_RADIUS = 22; // pixels on screen (between 16 and 31 given whole supercluster zoom levels)
const QUADS = ["1", "2", "3", "4"];
const BLANK = "#e3e3df"; // a country no event is placed in as a whole

let countries = null; // decoded once, on first use
function worldFeatures() {
  countries ??= feature(world, world.objects.countries).features;
  return countries;
}

export function createMap(el, ctx) {
  const run = ctx.latest();
  // the markers are one Tab stop, the arrow keys move between them
  const refreshFocus = rovingFocus(el, ["[data-testid=map-marker]"], (m) => `${m.dataset.name}@${m.dataset.px},${m.dataset.py}`);
  let current = null; // the last state seen
  let places = []; // located places of the last answer (towns and regions: points)
  let shaded = new Map(); // ISO numeric code -> the country-level place of the last answer
  let index = null; // supercluster over `places`, minus the selected place
  let transform = zoomIdentity;
  let view = null; // what the last layout drew: {width, height, projection, svg, markers, zoom}
  let drawnLevel = null;
  let loadedKey = null; // the filters of the last successful load: other view keys do not move the map

  const total = h("span", { "data-testid": "map-total" }, "…");
  const body = h("div", { class: "map-body" });
  const note = h("p", { class: "map-note", "data-testid": "map-note" });
  const areaButton = h("button", { type: "button", "data-testid": "map-filter-area", title: "keep only events inside the area in view",
    onclick: () => filterToView() }, "Only this area");
  const controls = h("div", { class: "map-controls" },
    h("button", { type: "button", "data-testid": "map-zoom-in", title: "zoom in", "aria-label": "zoom in", onclick: () => zoomBy(2) }, "+"),
    h("button", { type: "button", "data-testid": "map-zoom-out", title: "zoom out", "aria-label": "zoom out", onclick: () => zoomBy(0.5) }, "\u2212"),
    h("button", { type: "button", "data-testid": "map-fit", title: "zoom to the places shown", onclick: () => fitPlaces(places) }, "Fit places"),
    h("button", { type: "button", "data-testid": "map-reset-zoom", title: "show the whole world", onclick: () => setTransform(zoomIdentity) }, "World"),
    areaButton);
  const legend = h("div", { class: "legend map-legend", "data-testid": "map-legend" },
    QUADS.map((q) => h("span", {}, swatch(QUAD_COLORS[q]), `${q} ${QUAD_NAMES[q]}`)),
    h("span", {}, "size: events; a number marks a cluster of places, a dashed ring a region; a shaded country holds events known only to it"));

  replace(el, h("h2", {}, "Map", h("small", {}, total, " located events")), controls, body, legend, note);
  notice(body, "Loading the map…");

  const resize = new ResizeObserver(() => {
    if (!el.isConnected) return resize.disconnect();
    if (view && body.clientWidth && body.clientWidth !== view.width) layout();
  });
  resize.observe(body);

  /** Abandon the request under way, if any: `run` aborts the previous load whenever a new one starts. */
  function cancelPending() {
    run(async () => undefined);
  }

  async function update(state) {
    current = state;
    const key = ctx.filterParams(state).toString();
    if (key === loadedKey) {
      // Same filters (the table paged, the timeline changed its bars, Back to these filters...): the
      // places drawn are still right; just make sure a request for other filters cannot replace them.
      cancelPending();
      body.classList.remove("loading");
      return;
    }
    const params = ctx.filterParams(state);
    params.set("limit", String(PLACE_LIMIT));
    body.classList.add("loading");
    let answer;
    try {
      answer = await run(async (signal) => {
        const [p, matching] = await Promise.all([
          ctx.api("/places", params, { signal }),
          matchingEvents(ctx.filterParams(state), signal),
        ]);
        return { places: p.places, matching };
      });
    } catch (err) {
      body.classList.remove("loading");
      view = null;
      loadedKey = null;
      total.textContent = "–";
      note.textContent = "";
      notice(body, `Cannot load the map: ${err.message}`, "error");
      return;
    }
    if (answer === undefined) return; // superseded
    body.classList.remove("loading");
    loadedKey = key;
    const countryLevel = answer.places.filter((p) => p.feature === "country" && p.iso_numeric);
    const located = answer.places.filter((p) => p.feature !== "country"
      && p.lat !== null && p.lat !== undefined && p.lon !== null && p.lon !== undefined);
    places = located;
    shaded = new Map();
    for (const p of countryLevel) { // one country may come as several rows (names, spellings)
      const had = shaded.get(p.iso_numeric);
      if (!had) { shaded.set(p.iso_numeric, { ...p, by_quad: { ...p.by_quad } }); continue; }
      had.events += p.events;
      for (const [q, n] of Object.entries(p.by_quad || {})) had.by_quad[q] = (had.by_quad[q] || 0) + n;
    }
    const shown = sum(located) + sum(countryLevel);
    total.textContent = formatNumber(shown);
    writeNote(answer, shown, sum(countryLevel));
    if (!view) layout();
    else rebuildIndex();
    shadeCountries();
    drawMarkers(true);
  }

  /** How many events match (from /stats), only for the note: undefined when /stats fails, so the
   * map still shows its places, just without saying how many events it leaves out. */
  async function matchingEvents(params, signal) {
    try {
      const stats = await ctx.api("/stats", params, { signal });
      return stats.matching?.events;
    } catch (err) {
      if (err.name === "AbortError") throw err;
      return undefined;
    }
  }

  function writeNote(answer, shown, countryOnly = 0) {
    const parts = [];
    if (countryOnly > 0) {
      parts.push(`${formatNumber(countryOnly)} event${countryOnly === 1 ? " is" : "s are"} known only to their country, which is shaded`);
    }
    const unlocated = sum(answer.places) - shown;
    const missing = typeof answer.matching === "number" ? answer.matching - shown : 0;
    if (missing > 0) {
      parts.push(`${formatNumber(missing)} of ${formatNumber(answer.matching)} matching events ${missing === 1 ? "is" : "are"} not on the map`);
    }
    if (unlocated > 0) {
      const who = missing > 0 ? `${formatNumber(unlocated)} of them` : `${formatNumber(unlocated)} event${unlocated === 1 ? "" : "s"}`;
      parts.push(`${who} name${unlocated === 1 ? "s" : ""} a place without coordinates`);
    }
    if (!answer.places.length) parts.push("No matching event has a place");
    if (answer.places.length >= PLACE_LIMIT) parts.push(`only the ${formatNumber(PLACE_LIMIT)} busiest places are drawn`);
    note.textContent = parts.length ? `${parts.join("; ")}.` : "";
  }

  /** Build the SVG for the panel's width: sphere, graticule, countries, and a layer for markers. */
  function layout() {
    const width = Math.max(260, body.clientWidth || 600);
    const height = Math.round(width * 0.52);
    const projection = geoNaturalEarth1().fitExtent([[2, 2], [width - 2, height - 2]], { type: "Sphere" });
    const path = geoPath(projection);
    // keep the area in view when the panel changes size
    if (view) transform = zoomIdentity.translate(transform.x * width / view.width, transform.y * width / view.width).scale(transform.k);

    const svg = s("svg", { width, height, class: "map-svg", role: "img", "aria-label": "map of the matching events' places" });
    const base = s("g", { class: "map-base" },
      // fills repeated as attributes so the map reads even before map.css loads
      s("path", { class: "map-sphere", d: path({ type: "Sphere" }), fill: "#eef3f8" }),
      s("path", { class: "map-graticule", d: path(geoGraticule10()), fill: "none" }),
      worldFeatures().map((f) => s("path", {
        class: "map-country", "data-testid": "map-country", "data-id": f.id ?? "", d: path(f), fill: BLANK,
        onclick: (event) => {
          const p = shaded.get(f.id);
          if (!p) return;
          event.stopPropagation();
          ctx.setFilters({ place: p.name.toLowerCase() === selectedName() ? null : p.name });
        },
      }, s("title", {}, f.properties?.name || ""))));
    const markers = s("g", { class: "map-markers" });
    svg.append(base, markers);

    const behaviour = zoom()
      .scaleExtent([1, MAX_SCALE])
      .extent([[0, 0], [width, height]])
      .translateExtent([[0, 0], [width, height]])
      .on("zoom", (event) => {
        transform = event.transform;
        base.setAttribute("transform", transform.toString());
        drawMarkers(false);
      });
    view = { width, height, projection, svg, markers, zoom: behaviour, countries: base.querySelectorAll(".map-country") };
    drawnLevel = null;
    shadeCountries();
    rebuildIndex();
    replace(body, svg);
    select(svg).call(behaviour).call(behaviour.transform, transform); // fires "zoom", which draws
  }

  /** Fill the countries that events are placed in only as a whole: by their main quad class, darker
   * with more events. */
  function shadeCountries() {
    if (!view) return;
    const most = Math.max(1, ...[...shaded.values()].map((p) => p.events));
    for (const el of view.countries) {
      const p = shaded.get(el.dataset.id);
      const title = el.querySelector("title");
      if (!p) {
        if (el.dataset.shaded) {
          el.style.fill = "";
          el.style.fillOpacity = "";
          delete el.dataset.shaded;
          delete el.dataset.count;
          el.classList.remove("shaded");
          if (title) title.textContent = title.dataset.name || title.textContent;
        }
        continue;
      }
      const quads = quadCounts(p.by_quad, "");
      // inline, so the style sheet's grey for countries does not win
      el.style.fill = QUAD_COLORS[dominantQuad(quads)] || "#888";
      el.style.fillOpacity = (0.3 + 0.5 * (p.events / most)).toFixed(2);
      el.dataset.shaded = "true";
      el.dataset.count = String(p.events);
      el.classList.add("shaded");
      if (title) {
        title.dataset.name ??= title.textContent;
        title.textContent = `${tooltip({ name: p.name, country: p.country, events: p.events, quads })} (known only to the country)`;
      }
    }
  }

  /** Cluster the places, leaving the selected place out so it is always drawn on its own. */
  function rebuildIndex() {
    const selected = selectedName();
    const points = places.filter((p) => p.name.toLowerCase() !== selected).map((p) => ({
      type: "Feature",
      geometry: { type: "Point", coordinates: [p.lon, p.lat] },
      properties: { name: p.name, country: p.country, events: p.events, feature: p.feature, ...quadCounts(p.by_quad) },
    }));
    // Supercluster measures its radius against a world `extent` pixels wide at zoom 0; our world is
    // view.width pixels wide at scale 1 and 2^z wider at scale 2^z.
    index = new Supercluster({
      radius: CLUSTER_RADIUS, extent: view.width, maxZoom: Math.log2(MAX_SCALE) - 1,
      map: (p) => ({ events: p.events, q1: p.q1, q2: p.q2, q3: p.q3, q4: p.q4 }),
      reduce: (acc, p) => { acc.events += p.events; for (const q of QUADS) acc[`q${q}`] += p[`q${q}`]; },
    }).load(points);
    drawnLevel = null;
  }

  function selectedName() {
    return (current?.filters.place || "").toLowerCase();
  }

  /** Draw the markers for the current zoom; when only panning within a level, just move them. */
  function drawMarkers(force) {
    if (!view || !index) return;
    const level = Math.round(Math.log2(transform.k));
    if (!force && level === drawnLevel) {
      for (const g of view.markers.children) {
        const [x, y] = transform.apply([+g.dataset.px, +g.dataset.py]);
        g.setAttribute("transform", `translate(${x},${y})`);
      }
      return;
    }
    drawnLevel = level;
    const items = index.getClusters([-180, -90, 180, 90], level).map((f) => {
      const p = f.properties;
      return {
        cluster: !!p.cluster, id: p.cluster_id, name: p.cluster ? "cluster" : p.name, country: p.country,
        area: !p.cluster && p.feature === "region",
        events: p.events, places: p.cluster ? p.point_count : 1, quads: { 1: p.q1, 2: p.q2, 3: p.q3, 4: p.q4 },
        lonlat: f.geometry.coordinates,
      };
    });
    const selected = selectedName();
    for (const p of places) {
      if (p.name.toLowerCase() === selected) {
        items.push({ cluster: false, name: p.name, country: p.country, events: p.events, places: 1, area: p.feature === "region",
          quads: quadCounts(p.by_quad, ""), lonlat: [p.lon, p.lat], selected: true });
      }
    }
    const scale = Math.min(5, 26 / Math.sqrt(Math.max(1, sum(places))));
    items.sort((a, b) => (!!a.selected - !!b.selected) || (b.events - a.events)); // small ones on top of big ones
    replace(view.markers, items.map((item) => marker(item, Math.max(4, scale * Math.sqrt(item.events)))));
    refreshFocus();
  }

  function marker(item, r) {
    const [px, py] = view.projection(item.lonlat);
    const [x, y] = transform.apply([px, py]);
    const dominant = dominantQuad(item.quads);
    const g = s("g", {
      "data-testid": "map-marker", "data-count": item.events, "data-name": item.name, "data-quad": dominant,
      "data-px": px, "data-py": py, "data-area": item.area ? "true" : null,
      class: `map-marker${item.cluster ? " cluster" : ""}${item.selected ? " selected" : ""}${item.area ? " area" : ""}`,
      transform: `translate(${x},${y})`, role: "button", tabindex: 0,
      onclick: (event) => { event.stopPropagation(); activate(item); },
      onkeydown: (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); activate(item); } },
    }, s("title", {}, tooltip(item)));
    const slices = QUADS.filter((q) => item.quads[q] > 0).map((q) => ({ q, n: item.quads[q] }));
    const inner = item.cluster ? r * 0.55 : 0;
    if (slices.length <= 1) {
      g.appendChild(s("circle", { r, fill: QUAD_COLORS[dominant] || "#888", class: "map-disc" }));
    } else {
      const shape = arc().innerRadius(inner).outerRadius(r);
      for (const a of pie().sort(null).value((d) => d.n)(slices)) {
        g.appendChild(s("path", { d: shape(a), fill: QUAD_COLORS[a.data.q], class: "map-slice" }));
      }
    }
    g.appendChild(s("circle", { r, class: "map-outline", fill: "none", stroke: "#fff" }));
    if (item.area) {
      // a province or region, not a point: a dashed ring around it says so
      g.appendChild(s("circle", { r: r + 3, class: "map-area-ring", fill: "none", stroke: "#333", "stroke-dasharray": "2 2" }));
    }
    if (item.cluster) {
      g.appendChild(s("circle", { r: inner, class: "map-hole", fill: "#fff" }));
      g.appendChild(s("text", { class: "map-count", dy: "0.35em", "text-anchor": "middle" }, formatNumber(item.events)));
    }
    return g;
  }

  function activate(item) {
    if (!item.cluster) {
      // a second click on the selected place lets go of it
      ctx.setFilters({ place: item.name.toLowerCase() === selectedName() ? null : item.name });
      return;
    }
    const leaves = index.getLeaves(item.id, Infinity);
    const expansion = 2 ** index.getClusterExpansionZoom(item.id);
    fitPlaces(leaves.map((f) => ({ lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] })), expansion);
  }

  /** Zoom so `points` fill most of the map, at least to `minScale`. */
  function fitPlaces(points, minScale = 1) {
    if (!view || !points.length) return;
    const xy = points.map((p) => view.projection([p.lon, p.lat]));
    const xs = xy.map((p) => p[0]);
    const ys = xy.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const fit = 0.7 / Math.max((x1 - x0) / view.width, (y1 - y0) / view.height, 1 / MAX_SCALE);
    const k = Math.max(1, Math.min(MAX_SCALE, Math.max(fit, minScale)));
    setTransform(zoomIdentity.translate(view.width / 2, view.height / 2).scale(k).translate(-(x0 + x1) / 2, -(y0 + y1) / 2));
  }

  function setTransform(t) {
    if (view) select(view.svg).call(view.zoom.transform, t);
  }

  function zoomBy(factor) {
    if (view) select(view.svg).call(view.zoom.scaleBy, factor);
  }

  /** Filter to the longitudes and latitudes in view (the bbox filter). */
  function filterToView() {
    if (!view) return;
    const lons = [];
    const lats = [];
    for (let i = 0; i <= 12; i++) {
      for (let j = 0; j <= 12; j++) {
        const xy = transform.invert([view.width * i / 12, view.height * j / 12]);
        const lonlat = view.projection.invert(xy);
        if (!lonlat || !lonlat.every(Number.isFinite) || Math.abs(lonlat[0]) > 180 || Math.abs(lonlat[1]) > 90) continue;
        const back = view.projection(lonlat); // outside the globe, invert answers nonsense
        if (Math.hypot(back[0] - xy[0], back[1] - xy[1]) > 0.5) continue;
        lons.push(lonlat[0]);
        lats.push(lonlat[1]);
      }
    }
    if (!lons.length) return;
    const r = (v) => Math.round(v * 100) / 100;
    ctx.setFilters({ bbox: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)].map(r).join(",") });
  }

  return { update };
}

function tooltip(item) {
  const quads = QUADS.filter((q) => item.quads[q] > 0).map((q) => `${item.quads[q]} ${QUAD_NAMES[q]}`).join(", ");
  const events = `${formatNumber(item.events)} event${item.events === 1 ? "" : "s"}`;
  if (item.cluster) return `${formatNumber(item.places)} places, ${events} (${quads}); click to zoom in`;
  const kind = item.area ? ", a region" : "";
  return `${item.name}${item.country ? ` (${item.country})` : ""}${kind}: ${events} (${quads}); click to filter to this place`;
}

/** by_quad {"4": 5} as {q1: 0, ..., q4: 5}, or with prefix "" as {1: 0, ..., 4: 5}. */
function quadCounts(byQuad, prefix = "q") {
  return Object.fromEntries(QUADS.map((q) => [`${prefix}${q}`, Number(byQuad?.[q] || 0)]));
}

/** The quad class with most events; on a tie the more conflictual one, which is what analysts watch. */
function dominantQuad(quads) {
  let best = null;
  for (const q of QUADS) if (quads[q] > 0 && (best === null || quads[q] >= quads[best])) best = q;
  return best;
}

function sum(places) {
  return places.reduce((n, p) => n + p.events, 0);
}

function swatch(color) {
  const el = h("span", { class: "swatch" });
  el.style.background = color; // CSSOM, allowed by the page's CSP
  return el;
}
