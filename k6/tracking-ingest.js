// Tracking ingest, batch endpoint (BENCHMARKS.md: ≥ 10,000 events/s for 60 s, p99 < 150 ms per
// 100-event batch): POST /api/track/batch at a constant arrival rate of RATE batches of BATCH events.
import { uuid, login, postJson, expectStatus } from './lib/herald.js';

const BATCH = Number(__ENV.BATCH || 100);
const RATE = Number(__ENV.RATE || 100); // batches per second: 100 × 100 = 10,000 events/s
const USERS = Number(__ENV.USERS || 10000);

export const options = {
  scenarios: {
    ingest: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: __ENV.DURATION || '60s',
      preAllocatedVUs: Number(__ENV.VUS || 16),
      maxVUs: Number(__ENV.MAX_VUS || 64),
    },
  },
  thresholds: {
    'http_req_duration{name:track-batch}': ['p(99)<150'],
    'http_req_failed{name:track-batch}': ['rate<0.001'],
    // the arrival rate was held: nearly no iteration dropped for want of a free VU
    dropped_iterations: [`count<${Math.ceil(RATE * 60 * 0.01)}`],
    checks: ['rate>0.999'],
  },
};

export function setup() {
  return { token: login() };
}

export default function (data) {
  const now = new Date().toISOString();
  const batch = [];
  for (let i = 0; i < BATCH; i++) {
    batch.push({
      userId: `k6-user-${Math.floor(Math.random() * USERS)}`,
      event: i % 3 === 0 ? 'Order Completed' : 'Page Viewed',
      properties: { amount: Math.round(Math.random() * 20000) / 100, path: '/pricing' },
      timestamp: now,
      messageId: uuid(),
    });
  }
  const res = postJson(data.token, '/api/track/batch', { batch }, 'track-batch');
  expectStatus(res, [200], 'batch stored');
}
