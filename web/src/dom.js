// Building DOM nodes safely. Every string from the data (article text, names, titles) becomes a text
// node or an attribute value, never HTML: a hostile article must not run script in the analyst's
// browser. Nothing in the explorer may use innerHTML, outerHTML, insertAdjacentHTML or document.write
// (tests/test_explorer_source.py checks the sources).

const SVG_NS = "http://www.w3.org/2000/svg";

/** h("div", {class: "x", "data-id": id, onclick: fn}, "text", child, [more]) */
export function h(tag, attrs = {}, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/** The same for SVG elements: s("circle", {r: 4}). */
export function s(tag, attrs = {}, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

function fill(el, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.toLowerCase().startsWith("on")) {
      // Handlers are functions only: a string here would become an inline script attribute.
      if (typeof value !== "function") throw new TypeError(`${name} must be a function`);
      el.addEventListener(name.slice(2), value);
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Remove every child of `el`, then append `children`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const QUAD_NAMES = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };
// Cooperation blue to conflict red; readable on white and for the common colour-blindnesses.
export const QUAD_COLORS = { 1: "#4e79a7", 2: "#59a14f", 3: "#f28e2b", 4: "#e15759" };

export function formatNumber(n) {
  return Number(n).toLocaleString("en-US");
}

/** A message in place of a view: loading, empty, or an error from the API. */
export function notice(el, text, kind = "info") {
  return replace(el, h("p", { class: `notice notice-${kind}`, "data-testid": `notice-${kind}` }, text));
}
