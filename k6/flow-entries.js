// Flow entries, when flows exist: contacts entering an active flow through its API trigger, at a constant
// arrival rate. Without an active flow whose trigger is the API (or FLOW_ID), it says so and measures
// nothing. FLOW_ENTRY_PATH names the entry endpoint ({id} is replaced), for the flows runtime's API.
import { sleep } from 'k6';
import { login, postJson, getJson, expectStatus, uuid } from './lib/herald.js';

const RATE = Number(__ENV.RATE || 200);
const ENTRY_PATH = __ENV.FLOW_ENTRY_PATH || '/api/flows/{id}/entries';

export const options = {
  scenarios: {
    entries: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: __ENV.DURATION || '60s',
      preAllocatedVUs: Number(__ENV.VUS || 16),
      maxVUs: Number(__ENV.MAX_VUS || 64),
    },
  },
  thresholds: {
    'http_req_duration{name:flow-entry}': ['p(99)<200'],
    'http_req_failed{name:flow-entry}': ['rate<0.001'],
  },
};

export function setup() {
  const token = login();
  let flowId = __ENV.FLOW_ID;
  if (!flowId) {
    const flows = getJson(token, '/api/flows?page=0&size=200', 'flows');
    const items = flows.status === 200 ? (flows.json('items') || flows.json('content') || []) : [];
    const active = items.find((f) => f.status === 'ACTIVE' && JSON.stringify(f.trigger || '').toLowerCase().includes('api'));
    flowId = active ? active.id : null;
  }
  if (!flowId) {
    console.warn('No active flow with an API trigger (or FLOW_ID): flow entries not measured');
  }
  return { token, flowId };
}

export default function (data) {
  if (!data.flowId) {
    sleep(1);
    return;
  }
  const res = postJson(data.token, ENTRY_PATH.replace('{id}', data.flowId), {
    userId: `k6-flow-${uuid()}`,
    properties: { source: 'k6' },
  }, 'flow-entry');
  expectStatus(res, [200, 201, 202], 'entered');
}
