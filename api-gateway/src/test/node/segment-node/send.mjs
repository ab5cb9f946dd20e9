// Sends one of each Segment call to Herald through Segment's own Node library, changed in nothing
// but its host, and prints what happened as one line of JSON:
//   node send.mjs <herald base url> <write key> <user id>
// {"delivered": n, "failed": ["track: …"], "requests": [{"path", "authorization"}], "statuses": [200, …]}
import { Analytics } from '@segment/analytics-node'

const [host, writeKey, userId] = process.argv.slice(2)
if (!host || !writeKey || !userId) {
  console.error('usage: node send.mjs <herald base url> <write key> <user id>')
  process.exit(2)
}

const analytics = new Analytics({ writeKey, host, flushAt: 3, flushInterval: 500, maxRetries: 1 })
const requests = []
const responses = []
analytics.on('http_request', (request) => {
  const url = new URL(request.url)
  requests.push({ path: url.pathname, authorization: String(request.headers.Authorization ?? '').split(' ')[0] })
})
analytics.on('http_response', (response) => responses.push(response.status))

const failed = []
let delivered = 0
const outcome = (kind) => (err) => {
  if (err) {
    failed.push(`${kind}: ${err.reason ?? err.message ?? err}`)
  } else {
    delivered++
  }
}

const visitor = `${userId}-visitor`
analytics.track({ anonymousId: visitor, event: 'Viewed Pricing' }, outcome('track'))
analytics.identify({ userId, traits: { email: `${userId}@example.com`, name: 'Grace', address: { city: 'Nantes' } } },
  outcome('identify'))
analytics.track({ userId, event: 'Order Completed', properties: { total: 19.9, currency: 'EUR' } }, outcome('track'))
analytics.page({ userId, name: 'Pricing', properties: { path: '/pricing' } }, outcome('page'))
analytics.screen({ userId, name: 'Home' }, outcome('screen'))
analytics.group({ userId, groupId: `acme-${userId}`, traits: { name: 'Acme', plan: 'enterprise' } }, outcome('group'))
analytics.alias({ userId, previousId: visitor }, outcome('alias'))

await analytics.closeAndFlush({ timeout: 30000 })
console.log(JSON.stringify({ delivered, failed, requests, statuses: responses }))
