import { describe, expect, it } from 'vitest';
// onnxruntime-node is the runtime Transformers.js uses in Node (pinned by @huggingface/transformers).
import { InferenceSession, Tensor } from 'onnxruntime-node';
import {
  DataType,
  encodeModel,
  encodeVarint,
  floatTensor,
  int64Tensor,
  ProtoWriter,
  type OnnxModel
} from '../../scripts/lib/onnx-proto.js';

const bytes = (w: ProtoWriter): number[] => Array.from(w.finish());

describe('encodeVarint', () => {
  it('encodes small and multi-byte unsigned values', () => {
    expect(Array.from(encodeVarint(0))).toEqual([0x00]);
    expect(Array.from(encodeVarint(1))).toEqual([0x01]);
    expect(Array.from(encodeVarint(127))).toEqual([0x7f]);
    expect(Array.from(encodeVarint(128))).toEqual([0x80, 0x01]);
    expect(Array.from(encodeVarint(300))).toEqual([0xac, 0x02]);
    expect(Array.from(encodeVarint(2 ** 32))).toEqual([0x80, 0x80, 0x80, 0x80, 0x10]);
  });

  it("encodes negative int64 as 10-byte two's complement", () => {
    expect(Array.from(encodeVarint(-1))).toEqual([
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01
    ]);
    expect(Array.from(encodeVarint(-2))).toEqual([
      0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01
    ]);
    expect(Array.from(encodeVarint(-(2n ** 63n)))).toEqual([
      0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01
    ]);
  });

  it('encodes the largest int64 and rejects unsafe JS numbers', () => {
    expect(Array.from(encodeVarint(2n ** 63n - 1n))).toEqual([
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f
    ]);
    expect(() => encodeVarint(2 ** 53)).toThrow(RangeError);
    expect(() => encodeVarint(1.5)).toThrow(RangeError);
  });
});

describe('ProtoWriter', () => {
  // Expected bytes are the worked examples of the protobuf encoding guide.
  it('writes varint, string and nested message fields', () => {
    expect(bytes(new ProtoWriter().int(1, 150))).toEqual([0x08, 0x96, 0x01]);
    expect(bytes(new ProtoWriter().string(2, 'testing'))).toEqual([
      0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67
    ]);
    const child = new ProtoWriter().int(1, 150);
    expect(bytes(new ProtoWriter().message(3, child))).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01]);
  });

  it('writes packed repeated varints as one length-delimited record', () => {
    expect(bytes(new ProtoWriter().packedInts(4, [3, 270, 86942]))).toEqual([
      0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05
    ]);
    expect(bytes(new ProtoWriter().packedInts(1, [-1]))).toEqual([
      0x0a, 0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01
    ]);
  });

  it('writes floats as little-endian fixed32 and tracks length', () => {
    const w = new ProtoWriter().float(2, 1.5).int(3, -1);
    expect(w.length).toBe(5 + 11);
    expect(bytes(w)).toEqual([
      0x15, 0x00, 0x00, 0xc0, 0x3f, 0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01
    ]);
  });

  it('writes tensor raw data little-endian', () => {
    expect(Array.from(floatTensor('x', [1], [1]).rawData)).toEqual([0x00, 0x00, 0x80, 0x3f]);
    expect(Array.from(int64Tensor('x', [1], [-2]).rawData)).toEqual([
      0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
    ]);
  });
});

describe('encodeModel', () => {
  // sum = a + b; soft = Softmax(a, axis=-1) (negative int attribute);
  // flat = Reshape(LeakyRelu(a, alpha=0.5), [-1]) (float attribute, int64 initializer).
  const model: OnnxModel = {
    irVersion: 8,
    opsetImports: [{ domain: '', version: 17 }],
    producerName: 'test',
    producerVersion: '0',
    graph: {
      name: 'tiny',
      nodes: [
        { opType: 'Add', inputs: ['a', 'b'], outputs: ['sum'] },
        {
          opType: 'Softmax',
          inputs: ['a'],
          outputs: ['soft'],
          attributes: [{ name: 'axis', kind: 'int', value: -1 }]
        },
        {
          opType: 'LeakyRelu',
          inputs: ['a'],
          outputs: ['leaky'],
          attributes: [{ name: 'alpha', kind: 'float', value: 0.5 }]
        },
        { opType: 'Reshape', inputs: ['leaky', 'flat_shape'], outputs: ['flat'] }
      ],
      initializers: [int64Tensor('flat_shape', [1], [-1])],
      inputs: [
        { name: 'a', elemType: DataType.FLOAT, dims: ['rows', 2] },
        { name: 'b', elemType: DataType.FLOAT, dims: ['rows', 2] }
      ],
      outputs: [
        { name: 'sum', elemType: DataType.FLOAT, dims: ['rows', 2] },
        { name: 'soft', elemType: DataType.FLOAT, dims: ['rows', 2] },
        { name: 'flat', elemType: DataType.FLOAT, dims: ['flat_len'] }
      ]
    }
  };

  it('produces a model onnxruntime-node loads and runs with the expected results', async () => {
    const session = await InferenceSession.create(encodeModel(model));
    expect(session.inputNames).toEqual(['a', 'b']);
    expect(session.outputNames).toEqual(['sum', 'soft', 'flat']);
    const a = new Tensor('float32', Float32Array.from([1, 2, -4, 0]), [2, 2]);
    const b = new Tensor('float32', Float32Array.from([10, 20, 30, 40]), [2, 2]);
    const out = await session.run({ a, b });
    const output = (name: string): Tensor => {
      const t = out[name];
      if (!t) throw new Error(`missing output ${name}`);
      return t;
    };
    expect(Array.from(output('sum').data as Float32Array)).toEqual([11, 22, 26, 40]);
    expect(output('flat').dims).toEqual([4]);
    expect(Array.from(output('flat').data as Float32Array)).toEqual([1, 2, -2, 0]);
    // Softmax over the last axis: row [1, 2] gives [1/(1+e), e/(1+e)], row [-4, 0] sums to 1.
    const [s0 = NaN, , s2 = NaN, s3 = NaN] = output('soft').data as Float32Array;
    expect(s0).toBeCloseTo(1 / (1 + Math.E), 6);
    expect(s2 + s3).toBeCloseTo(1, 6);
    await session.release();
  });

  it('is deterministic', () => {
    expect(Buffer.from(encodeModel(model)).equals(Buffer.from(encodeModel(model)))).toBe(true);
  });
});
