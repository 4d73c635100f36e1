// Placeholder: replaced by the real view.
import { notice } from "../dom.js";

export function createMap(el, ctx) {
  return { update(state) { notice(el, "map: not built yet"); } };
}
