import { createHmac, timingSafeEqual } from 'node:crypto';

/** Deliveries older (or further in the future) than this are refused: a captured request cannot be replayed later. */
export const TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = 'whsec_';
const TIMESTAMP = /^\d{1,15}$/;

export interface SignedDelivery {
	/** The `webhook-id` header: the same on every retry of one message. */
	id: string | undefined;
	/** The `webhook-timestamp` header: unix seconds. */
	timestamp: string | undefined;
	/** The `webhook-signature` header: one or more space-separated `v1,<base64>` entries. */
	signature: string | undefined;
	/** The request body exactly as received. */
	rawBody: Buffer;
}

export type Verification = { valid: true } | { valid: false; reason: string };

/** The HMAC key of a Herald signing secret (`whsec_<base64>`): the bytes the base64 part stands for. */
export function signingKey(secret: string): Buffer {
	const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
	const key = Buffer.from(encoded, 'base64');
	if (key.length === 0) {
		throw new Error('The signing secret is empty');
	}
	return key;
}

/** The `v1,<base64>` signature of a delivery: HMAC-SHA256 over `<id>.<timestamp>.<body>`. */
export function sign(secret: string, id: string, timestamp: string, rawBody: Buffer): string {
	const mac = createHmac('sha256', signingKey(secret))
		.update(`${id}.${timestamp}.`, 'utf8')
		.update(rawBody)
		.digest('base64');
	return `v1,${mac}`;
}

/**
 * Checks a delivery the Standard Webhooks way: the three headers present, the timestamp within
 * {@link TOLERANCE_SECONDS} of `nowSeconds`, and one of the `v1` signatures (several during a secret rotation)
 * equal to the expected one, compared in constant time.
 */
export function verify(
	secrets: string[],
	delivery: SignedDelivery,
	nowSeconds: number = Math.floor(Date.now() / 1000),
): Verification {
	const { id, timestamp, signature } = delivery;
	if (!id || !timestamp || !signature) {
		return { valid: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature header' };
	}
	if (!TIMESTAMP.test(timestamp)) {
		return { valid: false, reason: 'webhook-timestamp is not a number of seconds' };
	}
	if (Math.abs(nowSeconds - Number(timestamp)) > TOLERANCE_SECONDS) {
		return { valid: false, reason: `webhook-timestamp is more than ${TOLERANCE_SECONDS} s away from now` };
	}
	const offered = signature
		.split(' ')
		.filter((entry) => entry.startsWith('v1,'))
		.map((entry) => Buffer.from(entry.slice(3), 'base64'));
	if (offered.length === 0) {
		return { valid: false, reason: 'webhook-signature has no v1 signature' };
	}
	let matched = false;
	for (const secret of secrets) {
		const expected = Buffer.from(sign(secret, id, timestamp, delivery.rawBody).slice(3), 'base64');
		for (const candidate of offered) {
			// every candidate is compared (no early exit), each in constant time for its length
			if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) {
				matched = true;
			}
		}
	}
	return matched ? { valid: true } : { valid: false, reason: 'no signature matches' };
}
