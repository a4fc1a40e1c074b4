/**
 * The statistics every benchmark of this folder reports: medians of repeated measurements and
 * ratios between them. Pure functions, unit-tested in spec/bench.
 */

/**
 * The median of some measurements: the middle value, or the mean of the two middle values.
 * Benchmarks report medians because one run disturbed by another process moves a mean, not a median.
 *
 * @example
 * median([3, 1, 2]);    // 2
 * median([4, 1, 3, 2]); // 2.5
 */
export function median(values: readonly number[]): number {
  if (!Array.isArray(values) || values.length === 0) {
    throw new TypeError(`median(values): values must be a non-empty array of numbers, got ${describeValues(values)}.`);
  }
  for (const value of values) {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new TypeError(
        `median(values): every value must be a number, got ${String(value)}. Drop failed runs before taking the median.`,
      );
    }
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * `value / reference`, or NaN when either is missing or the reference is not positive, so that a
 * skipped measurement shows as "n/a" instead of a made-up ratio.
 *
 * @example
 * ratio(150, 100);      // 1.5
 * ratio(undefined, 10); // NaN
 */
export function ratio(value: number | undefined, reference: number | undefined): number {
  if (value === undefined || reference === undefined) return Number.NaN;
  if (!Number.isFinite(value) || !Number.isFinite(reference) || reference <= 0) return Number.NaN;
  return value / reference;
}

/**
 * The median of round-by-round ratios of two figures timed back to back in each round. A slow
 * spell of a shared machine then slows both sides of a ratio, where the ratio of two medians
 * could take one side from a slow round and the other from a fast one. NaN when either is
 * missing or the rounds do not pair up.
 *
 * @example
 * pairedRatio([52, 90, 50], [50, 88, 51]); // 1.02 (the median of 1.04, 1.02, 0.98)
 */
export function pairedRatio(values: readonly number[] | undefined, references: readonly number[] | undefined): number {
  if (values === undefined || references === undefined) return Number.NaN;
  if (values.length === 0 || values.length !== references.length) return Number.NaN;
  const ratios = values.map((value, round) => ratio(value, references[round]));
  return ratios.some(Number.isNaN) ? Number.NaN : median(ratios);
}

/**
 * The relative spread of some measurements, `(max - min) / median`: how much to trust a median
 * taken on a busy machine (0.05 means the runs agree within 5 %).
 *
 * @example
 * spread([90, 100, 110]); // 0.2
 */
export function spread(values: readonly number[]): number {
  const middle = median(values);
  if (middle === 0) return 0;
  return (Math.max(...values) - Math.min(...values)) / middle;
}

function describeValues(values: unknown): string {
  if (Array.isArray(values)) return 'an empty array';
  return values === null ? 'null' : typeof values;
}
