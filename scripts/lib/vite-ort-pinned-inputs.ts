/**
 * Vite plugin: patches onnxruntime-web's input copy so the app's decoder keeps its
 * cross-attention inputs in wasm memory between steps (app/lib/asr/ort-pinned-inputs.ts says
 * why). The package ships minified code only, so the patch matches the copy's exact shape and
 * fails the build when it is not there exactly once (a new onnxruntime-web version must be
 * re-checked, never silently left unpatched).
 */
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const HOOK = fileURLToPath(new URL('../../app/lib/asr/ort-pinned-inputs.ts', import.meta.url));

/** onnxruntime-web's browser bundles with the wasm backend (ort.min.mjs, ort.webgpu.min.mjs…). */
const ORT_BUNDLE = /onnxruntime-web\/dist\/ort(\.(?!node\.)[a-z]+)?\.min\.mjs$/;

/**
 * `prepareInputOutputTensor(tensor, handles, allocs, sessionId, name, index, capture)` as
 * minified: its parameter names, then (later in its body) the plain CPU copy that ends the
 * function's branches: `size = data.byteLength, ptr = wasm._malloc(size), allocs.push(ptr),
 * wasm.HEAPU8.set(new Uint8Array(data.buffer, data.byteOffset, size), ptr)}}`.
 */
const HEADER =
  /=async\((\w+),(\w+),(\w+),(\w+),(\w+),(\w+),\w+=!1\)=>\{if\(!\1\)\{\2\.push\(0\);return\}/g;
const copy = (allocs: string) =>
  new RegExp(
    String.raw`(\w+)=(\w+)\.byteLength,(\w+)=(\w+)\._malloc\(\1\),${allocs}\.push\(\3\),\4\.HEAPU8\.set\(new Uint8Array\(\2\.buffer,\2\.byteOffset,\1\),\3\)\}\}`,
    'g'
  );

/** Rewrites one bundle's source; throws when the expected code is not found exactly once. */
export function patchOrtBundle(code: string, id = 'onnxruntime-web'): string {
  const headers = [...code.matchAll(HEADER)];
  if (headers.length !== 1) {
    throw new Error(`${id}: prepareInputOutputTensor not found once (${headers.length}).`);
  }
  const [, , , allocs, session, name] = headers[0]!;
  const from = headers[0]!.index;
  const body = code.slice(from);
  const copies = [...body.matchAll(copy(allocs!))];
  if (copies.length !== 1) {
    throw new Error(`${id}: the input copy was not found once (${copies.length}).`);
  }
  const [whole, size, data, pointer, wasm] = copies[0]!;
  const at = from + copies[0]!.index;
  const call = `${size}=${data}.byteLength,${pointer}=__lvaPinnedInput(${wasm},${data},${session},${name},${allocs})}}`;
  return (
    `import { pinnedInput as __lvaPinnedInput } from ${JSON.stringify(HOOK)};\n` +
    code.slice(0, at) +
    call +
    code.slice(at + whole.length)
  );
}

/** The plugin, for the app's Vite config and the ASR harness's build. */
export function ortPinnedInputs(): Plugin {
  return {
    name: 'lva-ort-pinned-inputs',
    enforce: 'pre',
    transform(code, id) {
      const file = id.split('?')[0]!;
      return ORT_BUNDLE.test(file) ? { code: patchOrtBundle(code, file), map: null } : null;
    }
  };
}
