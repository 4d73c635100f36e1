// Placeholder: replaced by the real view.
import { notice } from "../dom.js";

export function createStories(el, ctx) {
  return { update(state) { notice(el, "stories: not built yet"); } };
}
