// The explorer's state lives in the URL, so any view can be bookmarked and shared.
// Filters are the API's event filters (same names); the rest say which view is open.

export const FILTER_KEYS = [
  "type", "quad", "actor", "recipient", "country", "place", "bbox",
  "since", "until", "modality", "text", "source",
];
// view: dashboard | stories | story | talks | talk | article.  talk_state: the negotiations list's state.
//  id: the story or article.  event: the selected event.
// interval/stack/scale: the timeline's bars.  page/sort: the event table.
export const VIEW_KEYS = ["view", "id", "event", "interval", "stack", "scale", "page", "sort", "min_sources", "talk_state"]; // min_sources: the stories list (which also uses page)

const listeners = new Set();

/** The current state: {filters: {...}, view: "dashboard", id, event, interval, stack, page, sort}. */
export function getState() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  const state = { filters };
  for (const key of VIEW_KEYS) state[key] = params.get(key) || undefined;
  state.view = state.view || "dashboard";
  return state;
}

/** The filters as query parameters for the API. */
export function filterParams(state = getState()) {
  return new URLSearchParams(state.filters);
}

/** Change filters (null or "" removes one); the event table goes back to its first page. */
export function setFilters(patch) {
  update((params) => {
    for (const [key, value] of Object.entries(patch)) {
      if (!FILTER_KEYS.includes(key)) throw new Error(`unknown filter ${key}`);
      if (value === null || value === undefined || value === "") params.delete(key);
      else params.set(key, String(value));
    }
    params.delete("page");
  });
}

/** Change view keys (view, id, event, interval, stack, page, sort); filters are kept. */
export function setView(patch) {
  update((params) => {
    for (const [key, value] of Object.entries(patch)) {
      if (!VIEW_KEYS.includes(key)) throw new Error(`unknown view key ${key}`);
      if (value === null || value === undefined || value === "") params.delete(key);
      else params.set(key, String(value));
    }
  });
}

/** A link to a view with the current filters, for <a href>. */
export function hrefFor(patch) {
  const params = new URLSearchParams(location.search);
  for (const key of VIEW_KEYS) params.delete(key);
  for (const [key, value] of Object.entries(patch)) if (value !== undefined && value !== null) params.set(key, value);
  const query = params.toString();
  return query ? `/?${query}` : "/";
}

/** Call `fn(state)` after every change, including the browser's back and forward. */
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function update(change) {
  const params = new URLSearchParams(location.search);
  change(params);
  const query = params.toString();
  history.pushState(null, "", query ? `/?${query}` : "/");
  notify();
}

export function notify() {
  const state = getState();
  for (const fn of listeners) fn(state);
}

window.addEventListener("popstate", notify);

/** Follow same-origin links inside the app without reloading the page. */
export function interceptLinks(root) {
  root.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='/?'], a[href='/']");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    history.pushState(null, "", link.getAttribute("href"));
    notify();
  });
}
