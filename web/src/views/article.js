// Placeholder: replaced by the real view.
import { notice } from "../dom.js";

export function createArticle(el, ctx) {
  return { update(state) { notice(el, "article: not built yet"); } };
}
