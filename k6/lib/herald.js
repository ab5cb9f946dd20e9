// Shared helpers of Herald's k6 scripts: where Herald is, an operator's token, JSON requests.
import http from 'k6/http';
import { check, fail } from 'k6';

export const BASE = (__ENV.HERALD_URL || 'http://localhost:8080').replace(/\/$/, '');
const EMAIL = __ENV.HERALD_EMAIL || 'k6@example.com';
const PASSWORD = __ENV.HERALD_PASSWORD || 'k6 load test passphrase 2026';

/** Registers the operator (the first account becomes the admin; later runs get 403/409) and logs in. */
export function login() {
  const body = JSON.stringify({ email: EMAIL, password: PASSWORD });
  const params = { headers: { 'Content-Type': 'application/json' }, tags: { name: 'setup' } };
  http.post(`${BASE}/api/auth/register`, body, params);
  const res = http.post(`${BASE}/api/auth/login`, body, params);
  if (res.status !== 200) {
    fail(`login as ${EMAIL} failed (${res.status}): set HERALD_EMAIL/HERALD_PASSWORD to an admin of ${BASE}`);
  }
  return res.json('accessToken');
}

export function headers(token, extra) {
  return Object.assign({ 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, extra || {});
}

export function postJson(token, path, payload, name) {
  return http.post(`${BASE}${path}`, JSON.stringify(payload), { headers: headers(token), tags: { name: name || path } });
}

export function getJson(token, path, name) {
  return http.get(`${BASE}${path}`, { headers: headers(token), tags: { name: name || path } });
}

export function expectStatus(res, statuses, what) {
  const ok = check(res, { [`${what}: ${statuses.join('/')}`]: (r) => statuses.includes(r.status) });
  if (!ok && __ENV.K6_VERBOSE) {
    console.warn(`${what}: ${res.status} ${res.body}`);
  }
  return ok;
}

export function uuid() {
  // RFC 4122 version 4, good enough for message ids
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}
