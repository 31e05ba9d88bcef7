/**
 * Builds a BERT encoder ONNX graph with the I/O signature of the Transformers.js export of
 * `Xenova/all-MiniLM-L6-v2` (inputs input_ids / attention_mask / token_type_ids, output
 * last_hidden_state), in fp32 or in the dynamic-q8 form that `model_quantized.onnx` uses.
 */
import {
  byteTensor,
  DataType,
  floatTensor,
  int64Tensor,
  type OnnxAttribute,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor
} from './onnx-proto.js';
import type { BertParams, BertWeights, LayerWeights, Linear, Norm } from './bert-weights.js';

/** Opset 17 is the first with LayerNormalization; onnxruntime-node 1.30 and -web 1.31 run it. */
export const OPSET = 17;
/** IR version 8 is the one that goes with opset 17. */
export const IR_VERSION = 8;
/** HF BERT masks with the float32 minimum (torch.finfo(float32).min), as the optimum export does. */
const MASK_VALUE = -3.4028234663852886e38;

/** Collects nodes and initializers, naming intermediate values uniquely. */
class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private count = 0;

  private nextId(opType: string): string {
    return `${opType}_${this.count++}`;
  }

  /** Adds a single-output node; `output` names a graph output, else a unique name is made. */
  op1(opType: string, inputs: string[], attributes: OnnxAttribute[] = [], output?: string): string {
    const id = this.nextId(opType);
    const name = output ?? `/${id}/out0`;
    this.nodes.push({ opType, inputs, outputs: [name], name: `/${id}`, attributes });
    return name;
  }

  /** Adds a three-output node (DynamicQuantizeLinear: data, scale, zero point). */
  op3(opType: string, inputs: string[]): [string, string, string] {
    const id = this.nextId(opType);
    const names: [string, string, string] = [`/${id}/out0`, `/${id}/out1`, `/${id}/out2`];
    this.nodes.push({ opType, inputs, outputs: names, name: `/${id}` });
    return names;
  }

  /** Registers an initializer and returns its name. */
  init(tensor: OnnxTensor): string {
    this.initializers.push(tensor);
    return tensor.name;
  }
}

/** Symmetric int8 quantisation of a whole tensor (ORT's GatherQuant quantises embeddings so). */
function quantizePerTensor(values: Float32Array): { data: Int8Array; scale: number } {
  let absMax = 0;
  for (const v of values) absMax = Math.max(absMax, Math.abs(v));
  const scale = absMax > 0 ? absMax / 127 : 1;
  const data = Int8Array.from(values, (v) => Math.max(-127, Math.min(127, Math.round(v / scale))));
  return { data, scale };
}

/**
 * Per-column symmetric int8 quantisation of a [rows, cols] MatMul weight with the 7-bit reduced
 * range ([-64, 64]) that ORT's quantize_dynamic(per_channel=True, reduce_range=True) uses.
 */
function quantizePerColumn(
  w: Float32Array,
  rows: number,
  cols: number
): { data: Int8Array; scales: Float32Array } {
  if (w.length !== rows * cols) throw new Error('weight size does not match its shape');
  const absMax = new Float32Array(cols);
  w.forEach((v, i) => {
    const c = i % cols;
    absMax[c] = Math.max(absMax[c] ?? 0, Math.abs(v));
  });
  const scales = absMax.map((m) => (m > 0 ? m / 64 : 1));
  const data = Int8Array.from(w, (v, i) =>
    Math.max(-64, Math.min(64, Math.round(v / (scales[i % cols] ?? 1))))
  );
  return { data, scales };
}

/** Emits the graph; `quantized` switches MatMuls and embedding lookups to the q8 pattern. */
class BertEmitter {
  readonly g = new GraphBuilder();

  constructor(
    private readonly p: BertParams,
    private readonly quantized: boolean
  ) {}

  private constFloat(name: string, value: number): string {
    return this.g.init(floatTensor(name, [], [value]));
  }

  private constInts(name: string, values: number[]): string {
    return this.g.init(int64Tensor(name, [values.length], values));
  }

  /** Embedding table lookup; q8 gathers int8 rows, then dequantises only those rows. */
  lookup(
    name: string,
    table: Float32Array,
    rows: number,
    select: (tableName: string) => string
  ): string {
    if (!this.quantized)
      return select(this.g.init(floatTensor(name, [rows, this.p.hiddenSize], table)));
    const q = quantizePerTensor(table);
    const qName = this.g.init(
      byteTensor(`${name}_quantized`, DataType.INT8, [rows, this.p.hiddenSize], q.data)
    );
    const scale = this.constFloat(`${name}_scale`, q.scale);
    const zero = this.g.init(byteTensor(`${name}_zero_point`, DataType.INT8, [], new Int8Array(1)));
    return this.g.op1('DequantizeLinear', [select(qName), scale, zero]);
  }

  /**
   * x @ b for activations; in q8 both sides are quantised on the fly (DynamicQuantizeLinear ->
   * MatMulInteger -> Cast -> Mul by the scale product), as ORT's dynamic quantiser does when B is
   * not constant.
   */
  matmul(a: string, b: string): string {
    if (!this.quantized) return this.g.op1('MatMul', [a, b]);
    const [bq, bScale, bZero] = this.g.op3('DynamicQuantizeLinear', [b]);
    return this.integerMatmul(a, bq, bScale, bZero);
  }

  /** Quantises `a` to uint8 on the fly, multiplies by the quantised `bq` in int32, rescales to float. */
  private integerMatmul(a: string, bq: string, bScale: string, bZero: string): string {
    const [aq, aScale, aZero] = this.g.op3('DynamicQuantizeLinear', [a]);
    const product = this.g.op1('MatMulInteger', [aq, bq, aZero, bZero]);
    const asFloat = this.g.op1(
      'Cast',
      [product],
      [{ name: 'to', kind: 'int', value: DataType.FLOAT }]
    );
    return this.g.op1('Mul', [asFloat, this.g.op1('Mul', [aScale, bScale])]);
  }

  /** x @ W + b with W stored [in, out] (torch Linear exports as MatMul with the transposed weight). */
  linear(x: string, name: string, l: Linear): string {
    const bias = this.g.init(floatTensor(`${name}.bias`, [l.outDim], l.bias));
    if (!this.quantized) {
      const w = this.g.init(floatTensor(`${name}.weight`, [l.inDim, l.outDim], l.weight));
      return this.g.op1('Add', [this.g.op1('MatMul', [x, w]), bias]);
    }
    const q = quantizePerColumn(l.weight, l.inDim, l.outDim);
    const w = this.g.init(
      byteTensor(`${name}.weight_quantized`, DataType.INT8, [l.inDim, l.outDim], q.data)
    );
    const wScale = this.g.init(floatTensor(`${name}.weight_scale`, [l.outDim], q.scales));
    const wZero = this.g.init(
      byteTensor(`${name}.weight_zero_point`, DataType.INT8, [l.outDim], new Int8Array(l.outDim))
    );
    return this.g.op1('Add', [this.integerMatmul(x, w, wScale, wZero), bias]);
  }

  /** LayerNormalization over the last axis (opset 17 op; ORT fuses the decomposed form to it anyway). */
  layerNorm(x: string, name: string, n: Norm, output?: string): string {
    const gamma = this.g.init(floatTensor(`${name}.weight`, [n.gamma.length], n.gamma));
    const beta = this.g.init(floatTensor(`${name}.bias`, [n.beta.length], n.beta));
    const attrs: OnnxAttribute[] = [
      { name: 'axis', kind: 'int', value: -1 },
      { name: 'epsilon', kind: 'float', value: this.p.layerNormEps }
    ];
    return this.g.op1('LayerNormalization', [x, gamma, beta], attrs, output);
  }

  /** Multi-head self-attention plus output projection; `mask` is additive, shaped [B,1,1,S]. */
  attention(x: string, prefix: string, w: LayerWeights, mask: string): string {
    const { hiddenSize, numHeads } = this.p;
    const headDim = hiddenSize / numHeads;
    const split = this.constInts(`${prefix}.split_heads_shape`, [0, 0, numHeads, headDim]);
    const heads = (name: string, l: Linear, perm: number[]): string => {
      const projected = this.g.op1('Reshape', [this.linear(x, `${prefix}.${name}`, l), split]);
      return this.g.op1('Transpose', [projected], [{ name: 'perm', kind: 'ints', value: perm }]);
    };
    const q = heads('query', w.query, [0, 2, 1, 3]); // [B, heads, S, d]
    const k = heads('key', w.key, [0, 2, 3, 1]); // [B, heads, d, S]
    const v = heads('value', w.value, [0, 2, 1, 3]);
    const scores = this.g.op1('Div', [
      this.matmul(q, k),
      this.constFloat(`${prefix}.sqrt_head_dim`, Math.sqrt(headDim))
    ]);
    const probs = this.g.op1(
      'Softmax',
      [this.g.op1('Add', [scores, mask])],
      [{ name: 'axis', kind: 'int', value: -1 }]
    );
    const context = this.g.op1(
      'Transpose',
      [this.matmul(probs, v)],
      [{ name: 'perm', kind: 'ints', value: [0, 2, 1, 3] }]
    );
    const merged = this.g.op1('Reshape', [
      context,
      this.constInts(`${prefix}.merge_heads_shape`, [0, 0, hiddenSize])
    ]);
    return this.linear(merged, `${prefix}.output.dense`, w.attnOut);
  }

  /** GELU in the exact Erf form HF BERT exports: 0.5 * x * (1 + erf(x / sqrt(2))). */
  gelu(x: string, prefix: string): string {
    const erf = this.g.op1('Erf', [
      this.g.op1('Div', [x, this.constFloat(`${prefix}.sqrt2`, Math.SQRT2)])
    ]);
    const onePlus = this.g.op1('Add', [erf, this.constFloat(`${prefix}.one`, 1)]);
    return this.g.op1('Mul', [
      this.g.op1('Mul', [x, onePlus]),
      this.constFloat(`${prefix}.half`, 0.5)
    ]);
  }
}

/** Model-building options. */
export interface BuildOptions {
  /** true: dynamic int8 (`model_quantized.onnx`); false: fp32 (`model.onnx`). */
  quantized: boolean;
  /** Free text stored in ModelProto.doc_string. */
  docString?: string;
}

/** Builds the encoder model from parameters and already generated weights. */
export function buildBertModel(p: BertParams, w: BertWeights, options: BuildOptions): OnnxModel {
  // The last layer's LayerNorm is what produces the `last_hidden_state` output.
  if (w.layers.length < 1) throw new Error('a BERT graph needs at least one layer');
  const e = new BertEmitter(p, options.quantized);
  const g = e.g;
  const int = (name: string, value: number): OnnxAttribute => ({ name, kind: 'int', value });

  // Embeddings: word[input_ids] + position[0..S) + token_type[token_type_ids], then LayerNorm.
  const words = e.lookup('embeddings.word_embeddings', w.wordEmbeddings, p.vocabSize, (t) =>
    g.op1('Gather', [t, 'input_ids'], [int('axis', 0)])
  );
  const seqLen = g.op1('Shape', ['input_ids'], [int('start', 1), int('end', 2)]);
  const zero = g.init(int64Tensor('const_zero_1d', [1], [0]));
  const positions = e.lookup(
    'embeddings.position_embeddings',
    w.positionEmbeddings,
    p.maxPositions,
    (t) => g.op1('Slice', [t, zero, seqLen, zero])
  );
  const types = e.lookup(
    'embeddings.token_type_embeddings',
    w.tokenTypeEmbeddings,
    p.typeVocabSize,
    (t) => g.op1('Gather', [t, 'token_type_ids'], [int('axis', 0)])
  );
  const summed = g.op1('Add', [g.op1('Add', [words, types]), positions]);
  let hidden = e.layerNorm(summed, 'embeddings.LayerNorm', w.embeddingNorm);

  // Additive mask [B,1,1,S]: 0 where attention_mask is 1, float32 min where it is 0 (padding).
  const maskAxes = g.init(int64Tensor('mask_unsqueeze_axes', [2], [1, 2]));
  const mask4d = g.op1(
    'Cast',
    [g.op1('Unsqueeze', ['attention_mask', maskAxes])],
    [int('to', DataType.FLOAT)]
  );
  const inverted = g.op1('Sub', [g.init(floatTensor('const_one', [], [1])), mask4d]);
  const mask = g.op1('Mul', [inverted, g.init(floatTensor('mask_value', [], [MASK_VALUE]))]);

  w.layers.forEach((layer, i) => {
    const prefix = `encoder.layer.${i}`;
    const attended = e.attention(hidden, `${prefix}.attention`, layer, mask);
    hidden = e.layerNorm(
      g.op1('Add', [attended, hidden]),
      `${prefix}.attention.output.LayerNorm`,
      layer.attnNorm
    );
    const inner = e.gelu(
      e.linear(hidden, `${prefix}.intermediate.dense`, layer.ffnIn),
      `${prefix}.intermediate`
    );
    const out = e.linear(inner, `${prefix}.output.dense`, layer.ffnOut);
    const last = i === w.layers.length - 1 ? 'last_hidden_state' : undefined;
    hidden = e.layerNorm(
      g.op1('Add', [out, hidden]),
      `${prefix}.output.LayerNorm`,
      layer.ffnNorm,
      last
    );
  });

  const tokenDims = ['batch_size', 'sequence_length'];
  return {
    irVersion: IR_VERSION,
    opsetImports: [{ domain: '', version: OPSET }],
    producerName: 'lva-generate-embedding-models',
    producerVersion: '1',
    docString: options.docString,
    graph: {
      name: options.quantized ? 'bert_q8' : 'bert_fp32',
      nodes: g.nodes,
      initializers: g.initializers,
      inputs: ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => ({
        name,
        elemType: DataType.INT64,
        dims: tokenDims
      })),
      outputs: [
        { name: 'last_hidden_state', elemType: DataType.FLOAT, dims: [...tokenDims, p.hiddenSize] }
      ]
    }
  };
}
