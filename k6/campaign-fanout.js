// A campaign's fan-out, end to end: an audience imported from CSV, a segment of it, a campaign launched
// to it, its progress followed until DONE. BENCHMARKS.md's targets: e-mail ≥ 1,000 recipients/s (here to
// the compose stack's Mailpit), webhook ≥ 3,000 recipients/s (CHANNEL=WEBHOOK SINK_URL=http://…).
import http from 'k6/http';
import { sleep, fail } from 'k6';
import { Trend } from 'k6/metrics';
import { BASE, login, postJson, getJson, expectStatus } from './lib/herald.js';

const AUDIENCE = Number(__ENV.AUDIENCE || 20000);
const CHANNEL = (__ENV.CHANNEL || 'EMAIL').toUpperCase();
const TARGET = Number(__ENV.TARGET_RATE || (CHANNEL === 'WEBHOOK' ? 3000 : 1000));

const rate = new Trend('campaign_recipients_per_second');
const launchToDone = new Trend('campaign_launch_to_done', true);

export const options = {
  scenarios: {
    fanout: { executor: 'shared-iterations', vus: 1, iterations: 1, maxDuration: __ENV.MAX_DURATION || '20m' },
  },
  thresholds: {
    campaign_recipients_per_second: [`min>=${TARGET}`],
    checks: ['rate==1'],
  },
  setupTimeout: '10m',
};

function awaitState(token, path, done, timeoutSeconds) {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (Date.now() < deadline) {
    const res = getJson(token, path, 'poll');
    if (res.status === 200 && done(res.json())) {
      return res.json();
    }
    sleep(0.5);
  }
  fail(`${path} did not get there within ${timeoutSeconds} s`);
}

export function setup() {
  const token = login();
  const audience = `k6-${Date.now()}`;
  const rows = ['Email,Audience,FirstName'];
  for (let i = 0; i < AUDIENCE; i++) {
    rows.push(`${audience}-${i}@example.com,${audience},Reader${i}`);
  }
  const started = http.post(`${BASE}/api/contacts/imports`, {
    file: http.file(rows.join('\n') + '\n', 'audience.csv', 'text/csv'),
    mapping: JSON.stringify({ email: 'Email', attributes: [{ column: 'Audience', name: 'audience' }, { column: 'FirstName', name: 'first_name' }] }),
    mode: 'UPSERT',
  }, { headers: { Authorization: `Bearer ${token}` }, tags: { name: 'import' } });
  expectStatus(started, [202], 'import accepted');
  const importId = started.json('id');
  const done = awaitState(token, `/api/contacts/imports/${importId}`, (v) => v.state !== 'RUNNING', 600);
  if (done.state !== 'COMPLETED') {
    fail(`import ${importId} ended ${done.state}: ${done.failureReason}`);
  }
  return { token, audience };
}

export default function (data) {
  const { token, audience } = data;
  const rules = { type: 'attribute', attribute: 'audience', operator: 'eq', value: audience };
  // the launch freezes the audience from the contact read model: wait until the preview counts everyone
  const deadline = Date.now() + 120000;
  while (postJson(token, '/api/segments/preview', { rules }, 'segment-preview').json('count') !== AUDIENCE) {
    if (Date.now() > deadline) {
      fail(`the segment never counted ${AUDIENCE} contacts`);
    }
    sleep(0.5);
  }
  const segment = postJson(token, '/api/segments', { name: `k6 ${audience}`, rules }, 'segment-create');
  expectStatus(segment, [201], 'segment created');

  const content = CHANNEL === 'WEBHOOK'
    ? { url: __ENV.SINK_URL || fail('CHANNEL=WEBHOOK needs SINK_URL'), payload: '{"to":"{{ email }}"}' }
    : { subject: 'Hi {{ first_name }}', body: 'A k6 fan-out test message.' };
  const campaign = postJson(token, '/api/campaigns', {
    name: `k6 fan-out ${audience}`, channel: CHANNEL, segmentId: segment.json('id'), content,
  }, 'campaign-create');
  expectStatus(campaign, [201], 'campaign created');
  const id = campaign.json('id');

  const launchedAt = Date.now();
  expectStatus(postJson(token, `/api/campaigns/${id}/launch`, {}, 'campaign-launch'), [200], 'campaign launched');
  const progress = awaitState(token, `/api/campaigns/${id}/progress`, (p) => p.state === 'DONE', 1200);
  const seconds = (Date.now() - launchedAt) / 1000;
  launchToDone.add(seconds * 1000);
  rate.add(progress.audience / seconds);
  expectStatus({ status: progress.audience === AUDIENCE ? 200 : 500 }, [200], 'whole audience reached');
  console.log(`campaign ${id}: ${progress.audience} recipients in ${seconds.toFixed(1)} s `
    + `(${(progress.audience / seconds).toFixed(0)}/s; sent ${progress.sent}, failed ${progress.failed})`);
}
