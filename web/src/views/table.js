// Placeholder: replaced by the real view.
import { notice } from "../dom.js";

export function createTable(el, ctx) {
  return { update(state) { notice(el, "table: not built yet"); } };
}
