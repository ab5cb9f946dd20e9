// Tracking, single-event endpoint (BENCHMARKS.md: ≥ 2,000 events/s with 32 clients): POST /api/track at
// a constant arrival rate.
import { uuid, login, postJson, expectStatus } from './lib/herald.js';

const RATE = Number(__ENV.RATE || 2000);
const USERS = Number(__ENV.USERS || 10000);

export const options = {
  scenarios: {
    single: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: __ENV.DURATION || '60s',
      preAllocatedVUs: Number(__ENV.VUS || 32),
      maxVUs: Number(__ENV.MAX_VUS || 128),
    },
  },
  thresholds: {
    'http_req_failed{name:track}': ['rate<0.001'],
    'http_req_duration{name:track}': ['p(99)<100'],
    dropped_iterations: [`count<${Math.ceil(RATE * 60 * 0.01)}`],
    checks: ['rate>0.999'],
  },
};

export function setup() {
  return { token: login() };
}

export default function (data) {
  const res = postJson(data.token, '/api/track', {
    userId: `k6-user-${Math.floor(Math.random() * USERS)}`,
    event: 'Button Clicked',
    properties: { button: 'subscribe' },
    timestamp: new Date().toISOString(),
    messageId: uuid(),
  }, 'track');
  expectStatus(res, [200], 'event stored');
}
