// Seeded pseudo-random numbers for the demo data generator. mulberry32: 32-bit state, fast, and
// good enough for fake data. Everything the generator draws goes through one Rng, so the same seed
// always yields the same data set (never Math.random here).

export class Rng {
  private state: number;

  constructor(seed: number) {
    // Spread small seeds (0, 1, 42…) over the state space so neighbouring seeds diverge at once.
    this.state = (Math.imul(seed | 0, 0x9e3779b1) ^ 0x5bd1e995) >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform float in [min, max). */
  float(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (max < min) throw new Error(`int(${min}, ${max}): max below min`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty array");
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by relative weight: weighted([["A", 3], ["B", 1]]) gives "A" three times as often. */
  weighted<T>(options: readonly (readonly [T, number])[]): T {
    const total = options.reduce((s, [, w]) => s + w, 0);
    if (!(total > 0)) throw new Error("weighted: weights must add up to more than zero");
    let r = this.next() * total;
    for (const [value, weight] of options) {
      r -= weight;
      if (r < 0) return value;
    }
    return options[options.length - 1]![0];
  }

  /** A new array in random order (Fisher-Yates); the input is left alone. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    return this.shuffle(items).slice(0, count);
  }

  /** A string of `length` random decimal digits (leading zeros allowed). */
  digits(length: number): string {
    let s = "";
    for (let i = 0; i < length; i++) s += String(Math.floor(this.next() * 10));
    return s;
  }

  /** A time between two instants, truncated to whole seconds. */
  dateBetween(from: Date, to: Date): Date {
    const ms = from.getTime() + Math.floor(this.next() * (to.getTime() - from.getTime()));
    return new Date(ms - (ms % 1000));
  }
}

export const createRng = (seed: number): Rng => new Rng(seed);
