/**
 * Small ONNX graphs with the work of one Whisper tiny encoder layer on a 20 s window, for
 * `npm run bench:asr-wasm`: attention in float32, and the MLP with int8 weights (dynamically
 * quantized activations, as in the q8 export) and, for comparison, in float32.
 */
import {
  byteTensor,
  DataType,
  encodeModel,
  floatTensor,
  type OnnxNode
} from '../../scripts/lib/onnx-proto';
import { createSeededRandom } from '../../scripts/lib/seeded-random';

/** Encoder frames on a 20 s window (Whisper's 1,500 on 30 s, scaled). */
const FRAMES = 1000;
const WIDTH = 384;
const HEADS = 6;
const MLP = 1536;

/** A graph to time: its encoded model and the shape of each float input. */
export interface KernelGraph {
  name: string;
  label: string;
  model: Uint8Array;
  inputs: Record<string, number[]>;
}

const floatIo = (name: string, dims: number[]) => ({ name, elemType: DataType.FLOAT, dims });

function model(
  name: string,
  nodes: OnnxNode[],
  initializers: ReturnType<typeof floatTensor>[],
  inputs: Record<string, number[]>,
  output: number[]
) {
  return encodeModel({
    irVersion: 8,
    opsetImports: [{ domain: '', version: 17 }],
    producerName: 'lva-bench-kernels',
    producerVersion: '1',
    graph: {
      name,
      nodes,
      initializers,
      inputs: Object.entries(inputs).map(([n, d]) => floatIo(n, d)),
      outputs: [floatIo('y', output)]
    }
  });
}

/** `x · W` with W int8 as the q8 export has it: quantize x, integer MatMul, rescale. */
function int8MatMul(x: string, w: string, y: string): OnnxNode[] {
  return [
    { opType: 'DynamicQuantizeLinear', inputs: [x], outputs: [`${y}.q`, `${y}.qs`, `${y}.qz`] },
    { opType: 'MatMulInteger', inputs: [`${y}.q`, w, `${y}.qz`, `${w}.zero`], outputs: [`${y}.i`] },
    {
      opType: 'Cast',
      inputs: [`${y}.i`],
      outputs: [`${y}.f`],
      attributes: [{ name: 'to', kind: 'int', value: DataType.FLOAT }]
    },
    { opType: 'Mul', inputs: [`${y}.qs`, `${w}.scale`], outputs: [`${y}.s`] },
    { opType: 'Mul', inputs: [`${y}.f`, `${y}.s`], outputs: [y] }
  ];
}

/** The three graphs, with deterministic weights. */
export function kernelGraphs(): KernelGraph[] {
  const random = createSeededRandom(7);
  const headDim = WIDTH / HEADS;
  const q = [1, HEADS, FRAMES, headDim];
  const attention: KernelGraph = {
    name: 'attention',
    label: 'attention (fp32, 6 heads)',
    inputs: { q, kT: [1, HEADS, headDim, FRAMES], v: q },
    model: model(
      'attention',
      [
        { opType: 'MatMul', inputs: ['q', 'kT'], outputs: ['scores'] },
        {
          opType: 'Softmax',
          inputs: ['scores'],
          outputs: ['p'],
          attributes: [{ name: 'axis', kind: 'int', value: -1 }]
        },
        { opType: 'MatMul', inputs: ['p', 'v'], outputs: ['y'] }
      ],
      [],
      { q, kT: [1, HEADS, headDim, FRAMES], v: q },
      q
    )
  };
  const floats = (n: number) => Float32Array.from({ length: n }, () => random.normal() * 0.05);
  const int8s = (n: number) =>
    Int8Array.from({ length: n }, () => Math.round(random.normal() * 40));
  const x = [1, FRAMES, WIDTH];
  const relu: OnnxNode = { opType: 'Relu', inputs: ['h'], outputs: ['a'] };
  const mlpInt8: KernelGraph = {
    name: 'mlpInt8',
    label: 'MLP (int8 weights, as q8)',
    inputs: { x },
    model: model(
      'mlp_int8',
      [...int8MatMul('x', 'w1', 'h'), relu, ...int8MatMul('a', 'w2', 'y')],
      [
        byteTensor('w1', DataType.INT8, [WIDTH, MLP], int8s(WIDTH * MLP)),
        byteTensor('w1.zero', DataType.INT8, [], Int8Array.of(0)),
        floatTensor('w1.scale', [], [0.002]),
        byteTensor('w2', DataType.INT8, [MLP, WIDTH], int8s(MLP * WIDTH)),
        byteTensor('w2.zero', DataType.INT8, [], Int8Array.of(0)),
        floatTensor('w2.scale', [], [0.002])
      ],
      { x },
      x
    )
  };
  const mlpFloat: KernelGraph = {
    name: 'mlpFloat',
    label: 'MLP (fp32 weights)',
    inputs: { x },
    model: model(
      'mlp_fp32',
      [
        { opType: 'MatMul', inputs: ['x', 'w1'], outputs: ['h'] },
        relu,
        { opType: 'MatMul', inputs: ['a', 'w2'], outputs: ['y'] }
      ],
      [
        floatTensor('w1', [WIDTH, MLP], floats(WIDTH * MLP)),
        floatTensor('w2', [MLP, WIDTH], floats(MLP * WIDTH))
      ],
      { x },
      x
    )
  };
  return [attention, mlpInt8, mlpFloat];
}
