/**
 * Parameters and deterministic random weights of a BERT encoder (the shapes of
 * `all-MiniLM-L6-v2`), consumed by bert-graph.ts. BERT's own init: normal(0, 0.02) matrices,
 * LayerNorm gamma 1 and beta 0, zero biases.
 */
import { createSeededRandom, deriveSeed, normalArray } from './seeded-random.js';

/** Size and initialisation parameters (names follow the HF BertConfig fields they set). */
export interface BertParams {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositions: number;
  typeVocabSize: number;
  layerNormEps: number;
  /** Std of the normal weight init (BertConfig.initializer_range, 0.02). */
  initStd: number;
  /** PRNG seed: same params and seed give byte-identical weights. */
  seed: number;
}

/** A dense layer; `weight` is row-major [inDim, outDim]. */
export interface Linear {
  inDim: number;
  outDim: number;
  weight: Float32Array;
  bias: Float32Array;
}

/** LayerNorm scale and shift. */
export interface Norm {
  gamma: Float32Array;
  beta: Float32Array;
}

/** Weights of one encoder layer. */
export interface LayerWeights {
  query: Linear;
  key: Linear;
  value: Linear;
  attnOut: Linear;
  attnNorm: Norm;
  ffnIn: Linear;
  ffnOut: Linear;
  ffnNorm: Norm;
}

/** All weights; fp32 and q8 models are built from the same instance so they stay comparable. */
export interface BertWeights {
  wordEmbeddings: Float32Array;
  positionEmbeddings: Float32Array;
  tokenTypeEmbeddings: Float32Array;
  embeddingNorm: Norm;
  layers: LayerWeights[];
}

/**
 * Draws BERT-style initial weights: normal(0, initStd) matrices, zero biases, LayerNorm gamma 1 /
 * beta 0. Each tensor has its own PRNG stream derived from the seed and the tensor's name.
 */
export function createBertWeights(p: BertParams): BertWeights {
  if (p.hiddenSize % p.numHeads !== 0) throw new Error('hiddenSize must be divisible by numHeads');
  const normal = (label: string, size: number): Float32Array =>
    normalArray(createSeededRandom(deriveSeed(p.seed, label)), size, p.initStd);
  const linear = (label: string, inDim: number, outDim: number): Linear => ({
    inDim,
    outDim,
    weight: normal(label, inDim * outDim),
    bias: new Float32Array(outDim)
  });
  const norm = (): Norm => ({
    gamma: new Float32Array(p.hiddenSize).fill(1),
    beta: new Float32Array(p.hiddenSize)
  });
  const h = p.hiddenSize;
  return {
    wordEmbeddings: normal('word', p.vocabSize * h),
    positionEmbeddings: normal('position', p.maxPositions * h),
    tokenTypeEmbeddings: normal('token_type', p.typeVocabSize * h),
    embeddingNorm: norm(),
    layers: Array.from({ length: p.numLayers }, (_, i) => ({
      query: linear(`${i}.query`, h, h),
      key: linear(`${i}.key`, h, h),
      value: linear(`${i}.value`, h, h),
      attnOut: linear(`${i}.attn_out`, h, h),
      attnNorm: norm(),
      ffnIn: linear(`${i}.ffn_in`, h, p.intermediateSize),
      ffnOut: linear(`${i}.ffn_out`, p.intermediateSize, h),
      ffnNorm: norm()
    }))
  };
}
