/**
 * Whisper's encoder split into one model per stage (the convolutional stem, then each transformer
 * layer, the last with the final layer norm), so a decode that is cancelled during its encoder pass
 * can stop at the next stage instead of running the whole pass first. onnxruntime cannot be
 * interrupted inside a run, and a partial decode's encoder pass is what a final decode waits for
 * after the end of speech (bench:asr --trace: up to 780 ms on a 25 s window). The stages compute
 * exactly what the whole graph does (the same output bit for bit, tiny and base, wasm and native):
 * each is the whole graph's own nodes between two points of the residual stream, found by walking
 * back from a stage's output to its input. Measured (bench:asr, Chromium, two threads, two runs
 * each, alternating): a decode cancelled 150 ms in answers after 262–265 ms instead of 459–655 ms;
 * the real-time factor is no worse (0.093–0.105 vs 0.107–0.109).
 */
import {
  concat,
  delimited,
  fields,
  lengthDelimited,
  nameField,
  parseNode,
  stringField,
  type NodeInfo
} from './onnx-fields';

/** A layer's nodes in the Transformers.js (optimum) export, with this app's own edits. */
const LAYER = /^(?:lva)?\/layers\.(\d+)\//;

/** A node with its NodeProto field's bytes in the graph (copied into a stage as they are). */
type GraphNode = NodeInfo & { bytes: Uint8Array };

/** ValueInfoProto name (field 1). */
const valueName = (body: Uint8Array) => nameField(body, 1);

/** The same ValueInfoProto (type and shape) under another name. */
const renamed = (body: Uint8Array, name: string) =>
  concat([
    stringField(1, name),
    ...fields(body)
      .filter((x) => x.field !== 1)
      .map((x) => body.subarray(x.start, x.end))
  ]);

/**
 * The encoder as stages, in order: each takes the previous one's single output (the first, the
 * encoder's input) and the last gives the encoder's output. Throws when the graph is not an
 * export whose layers meet only through the residual stream (the caller keeps the whole model).
 */
export function encoderStages(bytes: Uint8Array): Uint8Array[] {
  const top = fields(bytes);
  const graphField = top.find((f) => f.field === 7);
  if (!graphField) throw new Error('Not an ONNX model (no graph).');
  const graph = fields(graphField.body);
  const raw = (f: { start: number; end: number }) => graphField.body.subarray(f.start, f.end);

  const nodes: GraphNode[] = graph
    .filter((f) => f.field === 1)
    .map((f) => ({ ...parseNode(f.body), bytes: raw(f) }));
  const producer = new Map<string, GraphNode>();
  for (const n of nodes) for (const o of n.outputs) producer.set(o, n);
  const initializers = new Map(
    graph.filter((f) => f.field === 5).map((f) => [nameField(f.body, 8), raw(f)] as const)
  );
  const inputs = graph.filter((f) => f.field === 11 && !initializers.has(valueName(f.body)));
  const outputs = graph.filter((f) => f.field === 12);
  if (inputs.length !== 1 || outputs.length !== 1)
    throw new Error('The encoder should have one input and one output.');
  const [input, output] = [inputs[0]!, outputs[0]!];

  // Each layer's input: the one tensor its nodes read that another part of the graph computes.
  const layerOf = (n: GraphNode) => Number(LAYER.exec(n.name)?.[1] ?? -1);
  const layers = Math.max(...nodes.map(layerOf)) + 1;
  if (layers < 1) throw new Error('No transformer layers found.');
  const boundaries = Array.from({ length: layers }, (_, layer) => {
    const entering = new Set(
      nodes
        .filter((n) => layerOf(n) === layer)
        .flatMap((n) => n.inputs)
        .filter((t) => producer.has(t) && layerOf(producer.get(t)!) !== layer)
    );
    if (entering.size !== 1) throw new Error(`Layer ${layer} reads ${entering.size} tensors.`);
    return [...entering][0]!;
  });

  const points = [valueName(input.body), ...boundaries, valueName(output.body)];
  const used = new Set<GraphNode>();
  return points.slice(1).map((to, i) => {
    const from = points[i]!;
    // Walk back from the stage's output; everything it needs must come from its input.
    const stage = new Set<GraphNode>();
    const needed = new Set<string>();
    const pending = [to];
    while (pending.length) {
      const tensor = pending.pop()!;
      if (tensor === from || tensor === '' || initializers.has(tensor) || needed.has(tensor))
        continue;
      needed.add(tensor);
      const node = producer.get(tensor);
      if (!node)
        throw new Error(`Stage ${i} needs ${tensor}, which is not computed after ${from}.`);
      if (used.has(node)) throw new Error(`Stage ${i} needs ${node.name} of an earlier stage.`);
      stage.add(node);
      pending.push(...node.inputs);
    }
    for (const n of stage) used.add(n);
    const weights = new Set([...stage].flatMap((n) => n.inputs).filter((t) => initializers.has(t)));
    const ports = [
      i === 0 ? raw(input) : lengthDelimited(11, renamed(output.body, from)),
      i === points.length - 2 ? raw(output) : lengthDelimited(12, renamed(output.body, to))
    ];
    const body = [
      stringField(2, `encoder stage ${i}`),
      // The whole graph's order is topological, so is any subset of it.
      ...nodes.filter((n) => stage.has(n)).map((n) => n.bytes),
      ...[...weights].map((w) => initializers.get(w)!),
      ...ports
    ];
    return concat(
      top.flatMap((f) => (f.field === 7 ? delimited(7, body) : [bytes.subarray(f.start, f.end)]))
    );
  });
}
