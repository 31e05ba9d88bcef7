import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { pinnedInput, releasePinnedInputs, type WasmHeap } from '$lib/asr/ort-pinned-inputs';
import { patchOrtBundle } from '../../scripts/lib/vite-ort-pinned-inputs';

/** A wasm heap with a bump allocator that records frees, and names at fixed addresses. */
function fakeHeap(names: Record<number, string>) {
  let top = 8;
  const live = new Map<number, number>();
  const heap: WasmHeap & { live: typeof live; copies: number } = {
    HEAPU8: new Uint8Array(16 << 20),
    live,
    copies: 0,
    _malloc(bytes) {
      const at = top;
      top += bytes;
      live.set(at, bytes);
      return at;
    },
    _free(pointer) {
      if (!live.delete(pointer)) throw new Error(`double free of ${pointer}`);
    },
    UTF8ToString: (pointer) => names[pointer] ?? ''
  };
  const set = heap.HEAPU8.set.bind(heap.HEAPU8);
  heap.HEAPU8.set = (array, offset) => {
    heap.copies++;
    set(array, offset);
  };
  return heap;
}

const KEY = 1;
const HIDDEN = 2;
const SELF = 3;
const names = {
  [KEY]: 'past_key_values.0.encoder.key',
  [HIDDEN]: 'encoder_hidden_states',
  [SELF]: 'past_key_values.0.decoder.key'
};
const big = (fill: number) => new Float32Array(1 << 18).fill(fill); // 1 MB

describe('pinnedInput', () => {
  let heap = fakeHeap(names);
  afterEach(() => {
    releasePinnedInputs();
    expect(heap.live.size).toBe(0);
    heap = fakeHeap(names);
  });

  it('copies a cross-attention input once while the same array comes back', () => {
    const key = big(0.5);
    const steps = [0, 1, 2].map(() => {
      const allocs: number[] = [];
      const pointer = pinnedInput(heap, key, 7, KEY, allocs);
      expect(allocs).toEqual([]); // not freed by onnxruntime after the run
      return pointer;
    });
    expect(new Set(steps).size).toBe(1);
    expect(heap.copies).toBe(1);
    expect(new Float32Array(heap.HEAPU8.buffer, steps[0], key.length)).toEqual(key);
  });

  it('replaces and frees the pinned copy when a new array arrives under the name', () => {
    const first = pinnedInput(heap, big(1), 7, HIDDEN, []);
    const next = big(2);
    const second = pinnedInput(heap, next, 7, HIDDEN, []);
    expect(second).not.toBe(first);
    expect(heap.live.has(first)).toBe(false);
    expect(new Float32Array(heap.HEAPU8.buffer, second, next.length)).toEqual(next);
    // Another session's input of the same name is its own entry.
    pinnedInput(heap, big(3), 8, HIDDEN, []);
    expect(heap.live.has(second)).toBe(true);
  });

  it('copies other inputs at every run, for onnxruntime to free', () => {
    const self = big(4);
    const small = new Float32Array(16).fill(5);
    for (const [data, name] of [
      [self, SELF],
      [self, SELF],
      [small, KEY]
    ] as const) {
      const allocs: number[] = [];
      const pointer = pinnedInput(heap, data, 7, name, allocs);
      expect(allocs).toEqual([pointer]);
      heap._free(pointer); // as onnxruntime does after the run
    }
    expect(heap.copies).toBe(3);
  });
});

describe('patchOrtBundle', () => {
  it('routes the input copy of the bundle the app loads through pinnedInput', () => {
    const file = 'node_modules/onnxruntime-web/dist/ort.webgpu.min.mjs';
    const source = readFileSync(file, 'utf8');
    const patched = patchOrtBundle(source, file);
    expect(patched.match(/__lvaPinnedInput\(/g)).toHaveLength(1);
    expect(patched.startsWith('import { pinnedInput as __lvaPinnedInput } from ')).toBe(true);
    // One malloc-and-copy fewer: the hook does it.
    const copies = (s: string) => s.match(/HEAPU8\.set\(new Uint8Array\(/g)?.length ?? 0;
    expect(copies(patched)).toBe(copies(source) - 1);
  });

  it('fails loudly when the code is not the expected shape', () => {
    expect(() => patchOrtBundle('export const x = 1;')).toThrow(/not found once/);
  });
});
