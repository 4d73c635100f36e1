// One Tab stop per chart. A chart's markers, nodes or edges would otherwise each take a Tab press
// before the keyboard reaches the event table (198 on the VOA store). Tab enters the group once, on
// the item focused last (else the first); the arrow keys, Home and End move within it.

/**
 * Make the items of `container` (matched by `selectors`, in that order) one roving Tab stop.
 * `keyOf(item)` names an item across redraws. Returns refresh(), to call after each redraw.
 */
export function rovingFocus(container, selectors, keyOf) {
  let currentKey = null;
  const items = () => selectors.flatMap((sel) => [...container.querySelectorAll(sel)]);
  const owner = (target) => items().find((el) => el === target || el.contains(target));

  function mark(current) {
    for (const el of items()) el.setAttribute("tabindex", el === current ? "0" : "-1");
  }

  container.addEventListener("focusin", (event) => {
    const item = owner(event.target);
    if (!item) return;
    currentKey = keyOf(item);
    mark(item);
  });
  container.addEventListener("keydown", (event) => {
    const item = owner(event.target);
    if (!item) return;
    const list = items();
    const i = list.indexOf(item);
    const to = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: list.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    list[Math.max(0, Math.min(list.length - 1, to))].focus();
  });

  return function refresh() {
    const list = items();
    mark(list.find((el) => keyOf(el) === currentKey) || list[0]);
  };
}
