// The HTTP load generator, run in its own thread so that the client does not share the server's
// event loop (plain JavaScript: workers start without the TypeScript loader).
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const o = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
const latencies = [];
let next = 0;
let ok = 0;
let failed = 0;

function body(i) {
  const [lng, lat] = o.points[i % o.points.length];
  return JSON.stringify({ source: 'citizen_app', category: 'environment_sanitation', description: `小区门口垃圾堆积无人清运，第${i}次反映`, location: { lng, lat } });
}

function one(i) {
  return new Promise((resolve) => {
    const payload = body(i);
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.keyPrefix) headers['idempotency-key'] = `${o.keyPrefix}-${i}`;
    const t0 = performance.now();
    const req = http.request({ host: '127.0.0.1', port: o.port, path: o.path, method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => {
        latencies.push(performance.now() - t0);
        if (res.statusCode && res.statusCode < 300) ok++;
        else failed++;
        resolve();
      });
    });
    req.on('error', () => {
      failed++;
      resolve();
    });
    req.end(payload);
  });
}

const start = performance.now();
const deadline = start + o.maxMs;
async function worker() {
  while (next < o.requests && performance.now() < deadline) await one(next++);
}
await Promise.all(Array.from({ length: o.concurrency }, worker));
const seconds = (performance.now() - start) / 1000;
agent.destroy();
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
parentPort.postMessage({ requests: ok + failed, ok, failed, seconds, perSecond: ok / seconds, p50ms: q(0.5), p95ms: q(0.95) });
