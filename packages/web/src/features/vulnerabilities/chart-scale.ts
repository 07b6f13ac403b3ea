/**
 * Scales and ticks for the hand-drawn SVG charts of the findings page (no chart library: the charts are simple, and
 * SVG drawn here keeps their text translatable and their structure testable).
 */

/** Round tick values from 0 to at least `max` (about `count` of them, steps of 1, 2 or 5 × 10ⁿ). */
export const niceTicks = (max: number, count = 4): number[] => {
  if (!Number.isFinite(max) || max <= 0) {
    return [0, 1];
  }
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const whole = Math.max(1, Math.round(step));
  const ticks: number[] = [];
  for (let v = 0; v < max + whole; v += whole) {
    ticks.push(v);
    if (v >= max) {
      break;
    }
  }
  return ticks;
};

/** Indexes of about `count` evenly spaced labels over `length` points, always the first and the last. */
export const labelIndexes = (length: number, count = 6): number[] => {
  if (length <= 0) {
    return [];
  }
  if (length <= count) {
    return Array.from({ length }, (_, i) => i);
  }
  const step = (length - 1) / (count - 1);
  return [...new Set(Array.from({ length: count }, (_, i) => Math.round(i * step)))];
};

/** A linear map from a domain to a range. */
export const linear =
  (domain: [number, number], range: [number, number]) =>
  (v: number): number => {
    const [d0, d1] = domain;
    const [r0, r1] = range;
    return d1 === d0 ? r0 : r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
  };

/** Stacks series bottom to top: for each point, the [lower, upper] edge of each layer. */
export const stack = (layers: number[][]): [number, number][][] => {
  const length = layers[0]?.length ?? 0;
  const base = new Array<number>(length).fill(0);
  return layers.map((values) =>
    values.map((v, i) => {
      const lower = base[i]!;
      base[i] = lower + v;
      return [lower, lower + v] as [number, number];
    }),
  );
};

/** SVG path of a band between two lines (upper forward, lower backward). */
export const bandPath = (xs: number[], upper: number[], lower: number[]): string => {
  if (xs.length === 0) {
    return '';
  }
  const top = xs.map((x, i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${upper[i]!.toFixed(1)}`);
  const bottom = xs.map((x, i) => `L${x.toFixed(1)},${lower[i]!.toFixed(1)}`).reverse();
  return `${top.join(' ')} ${bottom.join(' ')} Z`;
};

/** SVG path of a line through points. */
export const linePath = (xs: number[], ys: number[]): string =>
  xs.map((x, i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${ys[i]!.toFixed(1)}`).join(' ');
