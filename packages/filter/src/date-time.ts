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

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (the civil-from-days algorithm, inverted). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

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
  if (day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  let p = 19;
  let ms = 0;
  if (p < len && x.charCodeAt(p) === 46 /* . */) {
    p++;
    const start = p;
    let scale = 100;
    for (let d = x.charCodeAt(p) - 48; p < len && d >>> 0 < 10; d = x.charCodeAt(++p) - 48) {
      ms += d * scale;
      scale = scale > 1 ? scale / 10 : 0;
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
    daysFromCivil(year, month, day) * 86_400_000 +
    hour * 3_600_000 +
    minute * 60_000 +
    second * 1000 +
    ms -
    offset
  );
}

/**
 * `instant(x)` ({@link instant}: epoch milliseconds, NaN when invalid), reading the usual shapes
 * without `Date.parse`.
 *
 * @example
 * instantOf("2011-05-13T04:42:34.5+02:00"); // 1305254554500
 */
export function instantOf(x: string): number {
  const t = fastInstant(x);
  return Number.isNaN(t) ? instant(x) : t;
}
