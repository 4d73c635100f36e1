// Placeholder: replaced by the real view.
import { notice } from "../dom.js";

export function createTimeline(el, ctx) {
  return { update(state) { notice(el, "timeline: not built yet"); } };
}
