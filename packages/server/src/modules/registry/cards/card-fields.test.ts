import { describe, expect, it } from 'vitest';
import { CapstanError } from '../../../core/errors.js';
import { CARD_TEXT_MAX, parseCardPatch } from './card-fields.js';

const refusal = (input: Record<string, unknown>) => {
  try {
    parseCardPatch(input);
  } catch (err) {
    if (err instanceof CapstanError) return { code: err.code, message: err.message };
  }
  throw new Error('expected a refusal');
};

describe('model card edits', () => {
  it('reads name, version and the editable fields; empty strings and null clear an edit', () => {
    expect(parseCardPatch({ name: 'fraud', version: 3, summary: 'New words', owner: '', limitations: null })).toEqual({
      name: 'fraud',
      version: '3',
      change: { summary: 'New words', owner: null, limitations: null },
    });
    expect(parseCardPatch({ name: 'fraud', version: '3', intended_use: 'x'.repeat(CARD_TEXT_MAX) }).change.intended_use).toHaveLength(CARD_TEXT_MAX);
  });

  it('refuses unknown fields, non-strings, text over the limit and empty changes', () => {
    expect(refusal({ name: 'fraud', version: '1', sumary: 'typo' })).toEqual({
      code: 'INVALID_PARAMETER_VALUE',
      message: "Unknown model card field 'sumary'. Editable fields are summary, intended_use, out_of_scope_use, limitations, ethical_considerations, owner.",
    });
    expect(refusal({ name: 'fraud', version: '1', owner: 7 }).message).toBe("Model card field 'owner' must be a string.");
    expect(refusal({ name: 'fraud', version: '1', limitations: 'x'.repeat(CARD_TEXT_MAX + 1) }).message).toBe("Model card field 'limitations' is longer than 10000 characters.");
    // The limit counts characters, not UTF-16 units: 10,000 emoji fit.
    expect(parseCardPatch({ name: 'fraud', version: '1', summary: '🙂'.repeat(CARD_TEXT_MAX) }).change.summary).toBeDefined();
    expect(refusal({ name: 'fraud', version: '1' }).code).toBe('INVALID_PARAMETER_VALUE');
    expect(refusal({ name: ['fraud'], version: '1', summary: 's' }).code).toBe('INVALID_PARAMETER_VALUE');
    expect(refusal({ name: 'fraud', version: 1.5, summary: 's' }).code).toBe('INVALID_PARAMETER_VALUE');
  });
});
