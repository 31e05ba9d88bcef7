/**
 * The k best of many scored items without sorting them all: a min-heap of size k (O(n log k)).
 * Ties keep the item seen first, so results are stable.
 */

/** An item and its score. */
export interface Scored<T> {
  item: T;
  score: number;
}

/** Collects the `k` highest-scoring items pushed into it. */
export class TopK<T> {
  readonly #k: number;
  readonly #heap: Scored<T>[] = [];
  #seq = 0;
  readonly #order: number[] = [];

  constructor(k: number) {
    this.#k = Math.max(0, Math.floor(k));
  }

  /** The lowest score that would still enter (−Infinity while not full). */
  get threshold(): number {
    return this.#heap.length < this.#k ? -Infinity : (this.#heap[0]?.score ?? -Infinity);
  }

  /** Offers an item. */
  push(item: T, score: number): void {
    if (this.#k === 0 || Number.isNaN(score)) return;
    const seq = this.#seq++;
    if (this.#heap.length < this.#k) {
      this.#heap.push({ item, score });
      this.#order.push(seq);
      this.#up(this.#heap.length - 1);
    } else if (score > this.#heap[0]!.score) {
      this.#heap[0] = { item, score };
      this.#order[0] = seq;
      this.#down(0);
    }
  }

  /** The collected items, best first (equal scores in the order they were pushed). */
  sorted(): Scored<T>[] {
    const indexed = this.#heap.map((entry, i) => ({ entry, seq: this.#order[i]! }));
    indexed.sort((a, b) => b.entry.score - a.entry.score || a.seq - b.seq);
    return indexed.map((x) => x.entry);
  }

  // The root is the worst entry; among equal scores the latest pushed is "worse".
  #less(i: number, j: number): boolean {
    const a = this.#heap[i]!.score;
    const b = this.#heap[j]!.score;
    return a < b || (a === b && this.#order[i]! > this.#order[j]!);
  }

  #swap(i: number, j: number): void {
    [this.#heap[i], this.#heap[j]] = [this.#heap[j]!, this.#heap[i]!];
    [this.#order[i], this.#order[j]] = [this.#order[j]!, this.#order[i]!];
  }

  #up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(i: number): void {
    const n = this.#heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.#less(l, m)) m = l;
      if (r < n && this.#less(r, m)) m = r;
      if (m === i) return;
      this.#swap(i, m);
      i = m;
    }
  }
}

/** The k best items of a list by `score`, best first. */
export function topK<T>(items: Iterable<T>, k: number, score: (item: T) => number): Scored<T>[] {
  const heap = new TopK<T>(k);
  for (const item of items) heap.push(item, score(item));
  return heap.sorted();
}
