/**
 * Decoder inputs that stay in onnxruntime-web's wasm memory from one step to the next.
 *
 * onnxruntime-web copies every input tensor into wasm memory at every `run` (malloc, copy, free
 * after the run); it has no pinned or zero-copy path for CPU tensors. Whisper's decoder takes the
 * encoder's cross-attention keys and values at every generated token, the same arrays each time:
 * 12.3 MB on a 20 s window for tiny, 37 MB on a 30 s one for base. This module is called by a
 * build-time patch of onnxruntime-web (scripts/lib/vite-ort-pinned-inputs.ts) in place of that
 * copy: those inputs are copied once, the first time an array is seen, and reused while the same
 * array comes back under the same name. Everything else takes the original path.
 *
 * Safe because inputs are read-only to onnxruntime and Transformers.js hands back the very arrays
 * a previous step output (an array is never written in place); a different array under a name
 * replaces (and frees) the pinned copy, so at most one array per (session, input) stays in wasm
 * memory: one window's worth, kept until the next window or the worker's end.
 */

/** The part of onnxruntime-web's emscripten module this touches. */
export interface WasmHeap {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  UTF8ToString(pointer: number): string;
}

/** Inputs worth pinning: the decoder's cross-attention cache and the encoder output. */
const PINNED = /^(past_key_values\.\d+\.encoder\.(key|value)|encoder_hidden_states)$/;
/** Below this, a copy costs less than the bookkeeping. */
const MIN_BYTES = 256 * 1024;

interface Pinned {
  data: ArrayBufferView;
  pointer: number;
}

// Keyed by session and input name. Names are read at each call, not cached by address: a
// released session's name strings may be freed and their addresses reused for other names.
const pinned = new Map<string, Pinned>();
/** The heap the pinned copies live in (onnxruntime-web has one wasm instance per realm). */
let pinnedHeap: WasmHeap | null = null;

function copyIn(wasm: WasmHeap, data: ArrayBufferView): number {
  const pointer = wasm._malloc(data.byteLength);
  if (!pointer) throw new Error('Out of wasm memory for an input tensor.');
  wasm.HEAPU8.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), pointer);
  return pointer;
}

/**
 * The wasm address of an input tensor's data (what onnxruntime-web's `prepareInputOutputTensor`
 * computes). Pinned inputs are copied once per array; others are copied and added to `allocs`,
 * which onnxruntime frees after the run, exactly as the unpatched code does.
 */
export function pinnedInput(
  wasm: WasmHeap,
  data: ArrayBufferView,
  sessionId: number,
  namePointer: number,
  allocs: number[]
): number {
  if (data.byteLength >= MIN_BYTES) {
    const name = wasm.UTF8ToString(namePointer);
    if (PINNED.test(name)) {
      const key = `${sessionId}/${name}`;
      const hit = pinned.get(key);
      if (hit?.data === data) return hit.pointer;
      if (hit) wasm._free(hit.pointer);
      const pointer = copyIn(wasm, data);
      pinned.set(key, { data, pointer });
      pinnedHeap = wasm;
      return pointer;
    }
  }
  const pointer = copyIn(wasm, data);
  allocs.push(pointer);
  return pointer;
}

/**
 * Frees every pinned input. Call when no run is under way and the sessions that used them are
 * gone (before loading another model): their entries would otherwise stay until the worker ends.
 */
export function releasePinnedInputs(): void {
  for (const { pointer } of pinned.values()) pinnedHeap?._free(pointer);
  pinned.clear();
}
