/**
 * Deterministic pseudo-random numbers for generated model weights.
 *
 * Math.random() cannot be seeded, and generated files must be byte-identical from run to run, so
 * weights come from mulberry32 (a 32-bit state PRNG: fast, good enough for test weights, and
 * computed with integer ops only, so every JS engine yields the same sequence).
 */

/** A seeded generator of uniform and normal floats. */
export interface SeededRandom {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Standard normal sample (mean 0, std 1). */
  normal(): number;
}

/**
 * Creates a mulberry32 generator from a 32-bit seed.
 * @param seed Any integer; only its low 32 bits are used.
 */
export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  // Box-Muller yields two normals per call; keep the second so no randomness is wasted.
  let spare: number | null = null;

  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  const normal = (): number => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    // 1 - next() lies in (0, 1], so the log never sees 0. V8 implements Math.log/cos/sin with its
    // own fdlibm port, so the samples are identical on every machine running Node.
    const radius = Math.sqrt(-2 * Math.log(1 - next()));
    const angle = 2 * Math.PI * next();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };

  return { next, normal };
}

/**
 * Returns a Float32Array of `size` normal samples scaled by `std` (BERT initialises with std 0.02).
 * @param random Generator to draw from (advanced by `size` samples).
 */
export function normalArray(random: SeededRandom, size: number, std: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = random.normal() * std;
  return out;
}

/**
 * Derives a child seed from a parent seed and a label, so each weight tensor has its own stream
 * and adding a tensor does not shift the values of all the others (FNV-1a over the label).
 */
export function deriveSeed(seed: number, label: string): number {
  let hash = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
