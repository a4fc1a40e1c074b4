/**
 * How measurements are written in the printed tables: few enough digits to read, enough to
 * compare, and "n/a" for what was not measured.
 */

const NOT_MEASURED = 'n/a';

/**
 * Nanoseconds per operation: two decimals under 10 ns, one under 100 ns, none above.
 *
 * @example
 * formatNs(1.234); // '1.23 ns'
 * formatNs(87.65); // '87.7 ns'
 * formatNs(1234);  // '1,234 ns'
 */
export function formatNs(ns: number | undefined): string {
  if (!isMeasured(ns)) return NOT_MEASURED;
  return `${formatSignificant(ns)} ns`;
}

/**
 * Microseconds, with one decimal.
 *
 * @example
 * formatMicros(15.26); // '15.3'
 */
export function formatMicros(us: number | undefined): string {
  if (!isMeasured(us)) return NOT_MEASURED;
  return us.toFixed(1);
}

/**
 * A ratio as a multiplier with two decimals.
 *
 * @example
 * formatRatio(1.4567); // '1.46×'
 */
export function formatRatio(value: number | undefined): string {
  if (!isMeasured(value)) return NOT_MEASURED;
  return `${value.toFixed(2)}×`;
}

/**
 * Bytes, in B, KB or MB (powers of 1024), signed when asked (heap growth can be negative).
 *
 * @example
 * formatBytes(0.02);               // '0.02 B'
 * formatBytes(2048);               // '2.0 KB'
 * formatBytes(-3 * 1024 ** 2, true); // '-3.00 MB'
 */
export function formatBytes(bytes: number | undefined, signed = false): string {
  if (!isMeasured(bytes)) return NOT_MEASURED;
  const sign = bytes < 0 ? '-' : signed ? '+' : '';
  const size = Math.abs(bytes);
  if (size >= 1024 ** 2) return `${sign}${(size / 1024 ** 2).toFixed(2)} MB`;
  if (size >= 1024) return `${sign}${(size / 1024).toFixed(1)} KB`;
  return `${sign}${formatSignificant(size)} B`;
}

/**
 * A rate such as requests per second, rounded and grouped by thousands.
 *
 * @example
 * formatRate(87012.4); // '87,012'
 */
export function formatRate(perSecond: number | undefined): string {
  if (!isMeasured(perSecond)) return NOT_MEASURED;
  return Math.round(perSecond).toLocaleString('en-US');
}

/**
 * A fraction as a whole percentage.
 *
 * @example
 * formatPercent(0.973); // '97 %'
 */
export function formatPercent(fraction: number | undefined): string {
  if (!isMeasured(fraction)) return NOT_MEASURED;
  return `${Math.round(fraction * 100)} %`;
}

function isMeasured(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function formatSignificant(value: number): string {
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return Math.round(value).toLocaleString('en-US');
}
