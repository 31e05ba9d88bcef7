import { describe, expect, it } from 'vitest';
import { chooseMeaningModel } from '$lib/embedding/model-choice';
import { isGeneratedModel, similarityThresholds } from '$lib/embedding/models';

const status = (available: boolean) => [
  {
    id: 'Xenova/all-MiniLM-L6-v2',
    role: 'embedding',
    available,
    note: available ? null : 'No weights here.'
  }
];

describe('chooseMeaningModel', () => {
  it('uses the real MiniLM when provisioning found it', () => {
    expect(chooseMeaningModel(status(true), null)).toEqual({
      available: true,
      modelId: 'Xenova/all-MiniLM-L6-v2',
      generated: false
    });
  });

  it('turns meaning search off, with the provisioning note, when the real model is missing', () => {
    expect(chooseMeaningModel(status(false), null)).toEqual({
      available: false,
      modelId: 'Xenova/all-MiniLM-L6-v2',
      reason: 'No weights here.'
    });
    expect(chooseMeaningModel(null, null).available).toBe(false);
  });

  it('uses a generated model only when asked explicitly, and marks it as such', () => {
    expect(chooseMeaningModel(status(false), 'lva-generated/minilm-shape-tiny')).toEqual({
      available: true,
      modelId: 'lva-generated/minilm-shape-tiny',
      generated: true
    });
    expect(isGeneratedModel('Xenova/all-MiniLM-L6-v2')).toBe(false);
    // Generated vectors never pin a result as a strong meaning match.
    expect(similarityThresholds('lva-generated/minilm-shape-tiny').strong).toBe(Infinity);
  });
});
