// The trigger's signature check, on the built code (run `npm run build` first; `npm test` runs this).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { verify, sign, signingKey, TOLERANCE_SECONDS } = require('../dist/nodes/HeraldTrigger/StandardWebhooks.js');

// The example of the Standard Webhooks specification: its published signature must come out.
const SPEC = {
	secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
	id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
	timestamp: '1614265330',
	body: Buffer.from('{"test": 2432232314}'),
	signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const now = 1_765_000_000;
const body = Buffer.from('{"type":"contact.created","timestamp":"2026-12-07T12:00:00Z","data":{"contactId":"c-1"}}');

function delivery(overrides = {}) {
	const id = overrides.id ?? 'msg_1';
	const timestamp = overrides.timestamp ?? String(now);
	const rawBody = overrides.rawBody ?? body;
	return { id, timestamp, rawBody, signature: overrides.signature ?? sign(secret, id, timestamp, rawBody) };
}

test('the specification example verifies with its published signature', () => {
	assert.equal(sign(SPEC.secret, SPEC.id, SPEC.timestamp, SPEC.body), SPEC.signature);
	const result = verify([SPEC.secret], { ...SPEC, rawBody: SPEC.body }, Number(SPEC.timestamp));
	assert.deepEqual(result, { valid: true });
});

test('the key is the base64 after whsec_, and the MAC covers "<id>.<timestamp>.<body>"', () => {
	const key = signingKey(secret);
	assert.deepEqual(key, Buffer.from(secret.slice('whsec_'.length), 'base64'));
	const expected = createHmac('sha256', key).update(`msg_1.${now}.${body.toString()}`).digest('base64');
	assert.equal(sign(secret, 'msg_1', String(now), body), `v1,${expected}`);
});

test('a valid delivery is accepted', () => {
	assert.deepEqual(verify([secret], delivery(), now), { valid: true });
});

test('a delivery signed with another secret is refused', () => {
	const forged = `whsec_${randomBytes(32).toString('base64')}`;
	const result = verify([secret], delivery({ signature: sign(forged, 'msg_1', String(now), body) }), now);
	assert.equal(result.valid, false);
	assert.match(result.reason, /no signature matches/);
});

test('a changed body, id or timestamp breaks the signature', () => {
	const good = delivery();
	assert.equal(verify([secret], { ...good, rawBody: Buffer.from(body.toString().replace('c-1', 'c-2')) }, now).valid, false);
	assert.equal(verify([secret], { ...good, id: 'msg_2' }, now).valid, false);
	assert.equal(verify([secret], { ...good, timestamp: String(now + 1) }, now).valid, false);
});

test('the age limit is 300 s either way, inclusive', () => {
	assert.equal(TOLERANCE_SECONDS, 300);
	const old = delivery({ timestamp: String(now - 300) });
	assert.deepEqual(verify([secret], old, now), { valid: true });
	const stale = delivery({ timestamp: String(now - 301) });
	assert.match(verify([secret], stale, now).reason, /300 s/);
	const future = delivery({ timestamp: String(now + 301) });
	assert.equal(verify([secret], future, now).valid, false);
});

test('during a rotation any one of several v1 signatures may match', () => {
	const other = `whsec_${randomBytes(32).toString('base64')}`;
	const good = delivery();
	const both = `${sign(other, 'msg_1', String(now), body)} ${good.signature}`;
	assert.deepEqual(verify([secret], { ...good, signature: both }, now), { valid: true });
	const none = `${sign(other, 'msg_1', String(now), body)} v1,${randomBytes(32).toString('base64')}`;
	assert.equal(verify([secret], { ...good, signature: none }, now).valid, false);
});

test('missing headers, a timestamp that is no number, and signatures of another scheme or length are refused', () => {
	const good = delivery();
	for (const missing of ['id', 'timestamp', 'signature']) {
		assert.match(verify([secret], { ...good, [missing]: undefined }, now).reason, /missing/);
	}
	assert.match(verify([secret], { ...good, timestamp: '1e9' }, now).reason, /not a number/);
	assert.match(verify([secret], { ...good, signature: good.signature.replace('v1,', 'v1a,') }, now).reason, /no v1/);
	assert.equal(verify([secret], { ...good, signature: 'v1,AAAA' }, now).valid, false);
	assert.equal(verify([secret], { ...good, signature: 'v1,' }, now).valid, false);
});
