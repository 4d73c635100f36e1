// Placeholder: replaced by the real view.
import { notice } from "../dom.js";

export function createNetwork(el, ctx) {
  return { update(state) { notice(el, "network: not built yet"); } };
}
