import type { ModelCardEdits } from '@capstan/contracts';
import { invalidParameter } from '../../../core/errors.js';
import type { requestFields } from '../../tracking/index.js';

type RequestInput = requestFields.RequestInput;

/** The card's free-text fields, in the order the card shows them. */
export const CARD_TEXT_FIELDS = ['summary', 'intended_use', 'out_of_scope_use', 'limitations', 'ethical_considerations', 'owner'] as const satisfies readonly (keyof ModelCardEdits)[];
export type CardTextField = (typeof CARD_TEXT_FIELDS)[number];

/** Enough for a few pages of prose; a card is documentation, not a data store. */
export const CARD_TEXT_MAX = 10_000;

/** A change to a card: a string sets a field, `''` or null clears the edit so the generated text shows again. */
export type CardChange = Partial<Record<CardTextField, string | null>>;

export interface CardPatch {
  name: string | undefined;
  version: string | undefined;
  change: CardChange;
}

const isField = (key: string): key is CardTextField => (CARD_TEXT_FIELDS as readonly string[]).includes(key);

/**
 * Reads `PATCH model-versions/card`. Unlike MLflow's RPCs, unknown fields are refused: a misspelt
 * field name would otherwise be a silent no-op on documentation people rely on.
 */
export function parseCardPatch(input: RequestInput): CardPatch {
  const change: CardChange = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === 'name' || key === 'version') continue;
    if (!isField(key)) throw invalidParameter(`Unknown model card field '${key}'. Editable fields are ${CARD_TEXT_FIELDS.join(', ')}.`);
    if (value !== null && typeof value !== 'string') throw invalidParameter(`Model card field '${key}' must be a string.`);
    // Code points, not UTF-16 units, so the limit reads the same for every script.
    if (value !== null && [...value].length > CARD_TEXT_MAX) throw invalidParameter(`Model card field '${key}' is longer than ${CARD_TEXT_MAX} characters.`);
    change[key] = value === '' ? null : value;
  }
  if (Object.keys(change).length === 0) throw invalidParameter(`Nothing to change: send at least one of ${CARD_TEXT_FIELDS.join(', ')}.`);
  return { name: text(input, 'name'), version: text(input, 'version'), change };
}

/** `version` may arrive as a JSON number from hand-written clients; MLflow's own send strings. */
function text(input: RequestInput, key: 'name' | 'version'): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (key === 'version' && typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw invalidParameter(`Invalid value ${JSON.stringify(value)} for parameter '${key}'.`);
}
