/**
 * The pairing contract. The owner sets a pairing secret at deploy time; a device exchanges it once
 * (`POST /api/pair`) for a signed, expiring device token that it then sends with every `/api/*`
 * call as `Authorization: Bearer <token>` (or `X-Api-Key`, for the Anthropic SDK). Rotating the
 * server's signing secret revokes every token at once.
 */
import * as v from 'valibot';

/** Longest accepted pairing secret, in characters. */
export const PAIRING_SECRET_MAX_CHARS = 512;

/** Body of `POST /api/pair`. */
export const PairRequestSchema = v.strictObject({
  /** The owner's pairing secret. */
  secret: v.pipe(
    v.string(),
    v.minLength(1, 'Enter the pairing secret.'),
    v.maxLength(PAIRING_SECRET_MAX_CHARS, 'The pairing secret is too long.')
  ),
  /** A name for this device, shown nowhere but logs of the owner's choosing (optional). */
  deviceName: v.optional(v.pipe(v.string(), v.maxLength(64)))
});

/** A validated pairing request. */
export type PairRequest = v.InferOutput<typeof PairRequestSchema>;

/** Answer of `POST /api/pair` (and `POST /api/pair/renew`). */
export interface PairResponse {
  /** The device token: send it as `Authorization: Bearer <token>`. */
  token: string;
  tokenType: 'Bearer';
  /** Pseudonymous id of this device (the token's subject); rate limits and budgets count per id. */
  deviceId: string;
  /** When the token stops working (ISO 8601); pair again or renew before then. */
  expiresAt: string;
}

/** Answer of `GET /api/device`: the token's state and today's usage for this device. */
export interface DeviceStatusResponse {
  deviceId: string;
  expiresAt: string;
  usage: {
    /** UTC day the counters belong to (YYYY-MM-DD). */
    day: string;
    tokensUsed: number;
    tokenBudget: number;
    transcribeSecondsUsed: number;
    transcribeSecondsBudget: number;
  };
}
