/**
 * A fast reader of the usual xsd:dateTime shapes (RFC 7643 §2.3.5), for the innermost loop of a compiled
 * filter: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1–9 digits, and `Z`, an offset `±HH:MM` or nothing (read as
 * UTC), with every field in range. It reads char codes, allocates nothing and never calls `Date.parse`.
 * Anything else (another shape, a field out of range such as `24:00:00` or `02-30`, which `Date.parse`
 * treats in its own ways) gives NaN, and {@link instantOf} then falls back to {@link instant}, so the two
 * always agree (a property test checks it for arbitrary strings of these shapes).
 */
import { instant } from "./comparison.js";

/** Two decimal digits at `i` as a number, or -1. */
function two(x: string, i: number): number {
  const a = x.charCodeAt(i) - 48;
  const b = x.charCodeAt(i + 1) - 48;
  return a >>> 0 < 10 && b >>> 0 < 10 ? a * 10 + b : -1;
}

/** Days in each month of a common year, and the days before each month (index 1–12). */
const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DAYS_BEFORE = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Days from 1970-01-01 to January 1st of a proleptic Gregorian `year` (0–9999). */
function daysBeforeYear(year: number): number {
  const y = year - 1;
  return 365 * (year - 1970) + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) - 477;
}

// The year of the last call and its first day: stored timestamps cluster in a few years, so this saves
// the divisions on almost every record.
let lastYear = -1;
let lastYearDays = 0;
let lastYearLeap = false;

/**
 * Epoch milliseconds of `x` when it has one of the shapes above with every field in range; NaN
 * otherwise (not necessarily invalid: see {@link instantOf}). Fractions of up to nine digits keep their first
 * three, as `Date.parse` does.
 *
 * @example
 * fastInstant("2011-05-13T04:42:34Z"); // 1305261754000
 * fastInstant("2011-05-13T24:00:00Z"); // NaN (valid for Date.parse; instantOf falls back to it)
 */
export function fastInstant(x: string): number {
  const len = x.length;
  if (len < 19) return Number.NaN;
  const hiYear = two(x, 0);
  const loYear = two(x, 2);
  const month = two(x, 5);
  const day = two(x, 8);
  const hour = two(x, 11);
  const minute = two(x, 14);
  const second = two(x, 17);
  if (
    x.charCodeAt(4) !== 45 ||
    x.charCodeAt(7) !== 45 ||
    (x.charCodeAt(10) | 32) !== 116 || // T or t
    x.charCodeAt(13) !== 58 ||
    x.charCodeAt(16) !== 58 ||
    (hiYear | loYear | day) < 0 ||
    month < 1 ||
    month > 12 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  )
    return Number.NaN;
  const year = hiYear * 100 + loYear;
  if (year !== lastYear) {
    lastYear = year;
    lastYearDays = daysBeforeYear(year);
    lastYearLeap = isLeap(year);
  }
  const leapDay = lastYearLeap && month > 2 ? 1 : 0;
  if (day < 1 || day > (MONTH_DAYS[month] as number) + (lastYearLeap && month === 2 ? 1 : 0))
    return Number.NaN;
  let p = 19;
  let ms = 0;
  if (p < len && x.charCodeAt(p) === 46 /* . */) {
    p++;
    const start = p;
    // The first three digits are the milliseconds; later ones only have to be digits.
    while (p < len) {
      const d = x.charCodeAt(p) - 48;
      if (d >>> 0 > 9) break;
      const place = p - start;
      if (place === 0) ms = d * 100;
      else if (place === 1) ms += d * 10;
      else if (place === 2) ms += d;
      p++;
    }
    // Date.parse reads longer fractions in its own way (V8 makes ".0001000000" one millisecond).
    if (p === start || p - start > 9) return Number.NaN;
  }
  let offset = 0;
  if (p < len) {
    const c = x.charCodeAt(p);
    if ((c | 32) === 122 /* Z or z */) {
      if (p + 1 !== len) return Number.NaN;
    } else {
      if ((c !== 43 && c !== 45) || p + 6 !== len || x.charCodeAt(p + 3) !== 58) return Number.NaN;
      const oh = two(x, p + 1);
      const om = two(x, p + 4);
      if (oh < 0 || oh > 23 || om < 0 || om > 59) return Number.NaN;
      offset = (c === 43 ? 1 : -1) * (oh * 60 + om) * 60_000;
    }
  }
  return (
    (lastYearDays + (DAYS_BEFORE[month] as number) + leapDay + day - 1) * 86_400_000 +
    hour * 3_600_000 +
    minute * 60_000 +
    second * 1000 +
    ms -
    offset
  );
}

/**
 * Instants already read, by their text. A filter runs over the same stored values again and again (every
 * list request of an in-memory store), and a `Map` lookup, whose string hash V8 keeps on the string,
 * costs a fraction of reading ~25 chars with range checks. Bounded: cleared when full, so a scan over
 * more distinct values than this pays one failed lookup and one insert per value on top of the read.
 */
const instants = new Map<string, number>();
const INSTANT_CACHE_SIZE = 65_536;

/**
 * `instant(x)` ({@link instant}: epoch milliseconds, NaN when invalid), reading the usual shapes
 * without `Date.parse`, and each distinct text once while it stays in the cache above.
 *
 * @example
 * instantOf("2011-05-13T04:42:34.5+02:00"); // 1305254554500
 */
export function instantOf(x: string): number {
  let t = instants.get(x);
  if (t !== undefined) return t;
  t = fastInstant(x);
  if (Number.isNaN(t)) t = instant(x);
  if (instants.size >= INSTANT_CACHE_SIZE) instants.clear();
  instants.set(x, t);
  return t;
}
