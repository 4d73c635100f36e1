// Calendar arithmetic for the timeline. Dates are calendar days in UTC, as the API's buckets are
// (ISO dates; weeks start on Monday), so a bar never shifts with the analyst's time zone.

export const DAY = 86400000;

export function parseDay(text) {
  const [y, m, d] = text.split("-").map(Number);
  return new Date(Date.UTC(y, (m || 1) - 1, d || 1));
}

export function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

/** The first day of the bucket holding `date`. */
export function floorBucket(date, interval) {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  if (interval === "month") return new Date(Date.UTC(y, m, 1));
  const day = new Date(Date.UTC(y, m, date.getUTCDate()));
  if (interval === "day") return day;
  return new Date(+day - ((day.getUTCDay() + 6) % 7) * DAY);
}

export function nextBucket(start, interval) {
  if (interval === "day") return new Date(+start + DAY);
  if (interval === "week") return new Date(+start + 7 * DAY);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/** A bucket's [start, end) as Dates. */
export function bucketSpan(b) {
  return [parseDay(b.start), new Date(+parseDay(b.end) + DAY)];
}

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/;

/** since/until (which may be "2024", "2024-04" or "2024-04-15") as [start, end) Dates, or null. */
export function selectedDates(filters) {
  if (!filters.since && !filters.until) return null;
  const start = filters.since && PARTIAL_DATE.test(filters.since) ? parseDay(filters.since) : new Date(-8.64e15);
  let end = new Date(8.64e15);
  const m = filters.until && PARTIAL_DATE.exec(filters.until);
  if (m) {
    const [, y, mo, d] = m.map(Number);
    end = d ? new Date(Date.UTC(y, mo - 1, d + 1)) : mo ? new Date(Date.UTC(y, mo, 1)) : new Date(Date.UTC(y + 1, 0, 1));
  }
  return [start, end];
}

/** The since/until that cover whole buckets from the one holding `a` to the one holding `b`. */
export function snapRange(a, b, interval) {
  const first = floorBucket(a, interval);
  let last = floorBucket(b, interval);
  if (last < first) last = first;
  return { since: isoDay(first), until: isoDay(new Date(+nextBucket(last, interval) - DAY)) };
}

/** The bucket (with events) containing `date`, or undefined. */
export function bucketAt(buckets, date) {
  return buckets.find((b) => date >= parseDay(b.start) && date < +parseDay(b.end) + DAY);
}

export function bucketLabel(b, interval) {
  if (interval === "day") return b.start;
  if (interval === "week") return `week of ${b.start} to ${b.end}`;
  return b.start.slice(0, 7);
}

/**
 * The detail chart's date domain: the chosen dates within the data's extent (but covering every
 * bucket the filter returned, since an event that began before `since` is still in it), widened to
 * at least MIN_BUCKETS bars, so a single week never fills the chart over an axis of hours.
 */
const MIN_BUCKETS = 8;
export function detailDomain(selected, overview, detail, interval) {
  const extent = (buckets) => (buckets.length ? [bucketSpan(buckets[0])[0], bucketSpan(buckets[buckets.length - 1])[1]] : null);
  const all = extent(overview);
  const shown = extent(detail);
  let lo;
  let hi;
  if (selected) {
    lo = all ? Math.max(+selected[0], +all[0]) : +selected[0];
    hi = all ? Math.min(+selected[1], +all[1]) : +selected[1];
    if (!(lo < hi) || !Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [+selected[0], +selected[1]];
    if (shown) [lo, hi] = [Math.min(lo, +shown[0]), Math.max(hi, +shown[1])];
  } else if (shown || all) {
    [lo, hi] = (shown || all).map(Number);
  } else {
    return null;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return null; // an open range on no data
  const step = interval === "month" ? 30.44 * DAY : interval === "week" ? 7 * DAY : DAY;
  const missing = MIN_BUCKETS * step - (hi - lo);
  if (missing > 0) [lo, hi] = [lo - missing / 2, hi + missing / 2];
  return [new Date(lo), new Date(hi)];
}
