/**
 * `npm run eval:asr`: word error rate of the product path and the plain Transformers.js pipeline,
 * same model, same run, in Node and in headless Chromium, over ../shared/eval/speech (34 clips).
 * Whisper tiny always; Whisper base when provisioned. Prints tables, then ONE JSON line.
 * Options: --only REGEX (clip ids), --models tiny,base, --no-browser, --no-node, --no-live (skip the
 * product path as live speech: partials every second, speculative finals),
 * --force-prefix (finals start from earlier decoded tokens, off in the app; to compare).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { summarize, table, type ClipResult } from './eval-core';
import { buildHarness, openHarness } from './chromium';
import { evalNode } from './eval-node';
import { MODELS_DIR, loadClips } from './node-runtime';

const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const only = arg('--only') ? new RegExp(arg('--only')!) : undefined;
const wanted = (arg('--models') ?? 'tiny,base').split(',');
const options = {
  live: !args.includes('--no-live'),
  forcePrefix: args.includes('--force-prefix')
};
const models = wanted
  .map((m) => `Xenova/whisper-${m}`)
  .filter((id) => existsSync(join(MODELS_DIR, id, 'onnx/decoder_model_merged_quantized.onnx')));

/** The product path's encoder window (the plain pipeline always pads to 30 s). */
const encoderLabel = (variable: boolean) =>
  variable ? 'product encoder window sized to the audio' : 'product encoder window 30 s';

const figures: Record<string, unknown> = {
  normaliser: 'app/lib/asr/wer.ts normalizeForWer',
  ...options
};
for (const modelId of models) {
  const key = modelId.replace('Xenova/whisper-', '');
  if (!args.includes('--no-node')) {
    const t = performance.now();
    const results = await evalNode(modelId, only, (l) => console.error(l), options);
    console.log(
      `\n${table(results, `Node (onnxruntime-node, ${encoderLabel(true)}), ${modelId}`)}`
    );
    figures[`node_${key}`] = {
      ...summarize(results),
      encoderWindow: encoderLabel(true),
      seconds: Math.round((performance.now() - t) / 1000)
    };
  }
  if (!args.includes('--no-browser')) {
    await buildHarness();
    const harness = await openHarness(true);
    try {
      const t = performance.now();
      const info = await harness.page.evaluate((id) => window.harness.load(id), modelId);
      const clips = loadClips((c) => !only || only.test(c.id));
      const results: ClipResult[] = [];
      for (const clip of clips) {
        const [r] = await harness.page.evaluate(
          ([id, c, o]) => window.harness.evaluate(id, [c], true, o),
          [modelId, clip, options] as const
        );
        console.error(
          `  chromium ${modelId} ${clip.id}: product ${(r!.product.wer * 100).toFixed(1)} %, live ${r!.live ? (r!.live.wer * 100).toFixed(1) : '-'} %, plain ${(r!.plain.wer * 100).toFixed(1)} %`
        );
        results.push(r!);
      }
      console.log(
        `\n${table(results, `Chromium (onnxruntime-web wasm, ${info.threads} thread(s), ${encoderLabel(info.variableEncoder)}), ${modelId}`)}`
      );
      figures[`chromium_${key}`] = {
        ...summarize(results),
        threads: info.threads,
        encoderWindow: encoderLabel(info.variableEncoder),
        seconds: Math.round((performance.now() - t) / 1000)
      };
    } finally {
      await harness.close();
    }
  }
}
console.log(JSON.stringify(figures));
