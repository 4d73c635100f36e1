// An event's coded record as a field list an analyst can read (type, who, when, where, numbers,
// source of the claim, confidence), with the exact JSON the API returns folded away beneath it.
import { h, formatNumber, QUAD_NAMES } from "../dom.js";

const dash = () => h("span", { class: "muted" }, "\u2014");
const quoted = (text) => (text ? h("q", {}, text) : null);

function party(p) {
  const code = p.country ? h("span", { class: "code" }, p.country) : null;
  const sector = p.sector ? h("span", { class: "muted" }, ` ${p.sector}`) : null;
  const words = p.text && p.text !== p.name ? [" as ", quoted(p.text)] : [];
  return h("li", {}, p.name || p.text || "?", code, sector, words);
}

function parties(list) {
  return list && list.length ? h("ul", { class: "record-list" }, list.map(party)) : dash();
}

function when(date) {
  if (!date || !date.value) return h("span", {}, "undated", date?.text ? [" (", quoted(date.text), ")"] : "");
  const from = date.text ? [" from ", quoted(date.text)] : date.basis ? ` from the ${date.basis} date` : "";
  return h("span", {}, h("b", {}, date.value), ` (${date.granularity || "?"})`, from);
}

function where(loc) {
  if (!loc) return dash();
  const area = [loc.admin1 && `admin1 ${loc.admin1}`, loc.country, loc.feature].filter(Boolean).join(", ");
  const point = typeof loc.lat === "number" && typeof loc.lon === "number" ? ` \u00b7 ${loc.lat.toFixed(3)}, ${loc.lon.toFixed(3)}` : "";
  return h("span", {}, h("b", {}, loc.name || loc.text), area ? ` (${area})` : "", point,
    loc.text && loc.text !== loc.name ? [" from ", quoted(loc.text)] : "");
}

function numbers(list) {
  if (!list || !list.length) return dash();
  return h("ul", { class: "record-list" }, list.map((q) => h("li", {},
    h("b", {}, `${q.approximate ? "~" : ""}${q.value === null || q.value === undefined ? "?" : formatNumber(q.value)}`),
    q.unit ? ` ${q.unit}` : "", ` ${q.kind}`, q.text ? [" from ", quoted(q.text)] : "")));
}

/** The record of `event` as a <dl>, then its JSON in a closed <details>. */
export function recordView(event) {
  const rows = [
    ["Type", [h("b", {}, event.event_type), event.mode ? ` (${event.mode})` : "",
      event.quad ? h("span", { class: "muted" }, ` \u00b7 quad ${event.quad} ${QUAD_NAMES[event.quad] || ""}`) : ""]],
    ["Modality", event.modality || dash()],
    ["Trigger", quoted(event.trigger?.text) || dash()],
    ["Actors", parties(event.actors)],
    ["Recipients", parties(event.recipients)],
    ["Date", when(event.date)],
    ["Place", where(event.location)],
    ["Numbers", numbers(event.quantities)],
    ["Said by", event.attribution ? [event.attribution.name || event.attribution.text] : dash()],
    ["Confidence", typeof event.confidence === "number" ? event.confidence.toFixed(2) : dash()],
    ["Contexts", event.contexts?.length ? event.contexts.join(", ") : dash()],
    ["Sentences", `${(event.mentions || []).length || 1} in the text tell it`],
    ["Ids", h("span", { class: "muted" }, `event ${event.id} \u00b7 article ${event.article_id}`)],
  ];
  return [
    h("dl", { class: "event-fields", "data-testid": "event-fields" }, rows.flatMap(([name, value]) => [
      h("dt", {}, name), h("dd", { "data-field": name.toLowerCase() }, value),
    ])),
    h("details", { class: "record-json" },
      h("summary", {}, "The record as JSON (as GET /events/{id} returns it)"),
      h("pre", { class: "event-record", "data-testid": "event-record" }, JSON.stringify(event, null, 2))),
  ];
}
