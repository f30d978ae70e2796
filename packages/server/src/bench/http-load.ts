import http from 'node:http';

export interface LoadOptions {
  port: number;
  path: string;
  /** Headers per request (e.g. a fresh Idempotency-Key). */
  headers: (i: number) => Record<string, string>;
  body: (i: number) => string;
  concurrency: number;
  /** Stop after this many requests or this many ms, whichever first. */
  requests: number;
  maxMs: number;
}

export interface LoadResult {
  requests: number;
  ok: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p95ms: number;
}

/** A keep-alive HTTP load loop: `concurrency` clients each send the next request when one returns. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const latencies: number[] = [];
  let next = 0;
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  const deadline = start + o.maxMs;
  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const body = o.body(i);
      const t0 = performance.now();
      const req = http.request(
        { host: '127.0.0.1', port: o.port, path: o.path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...o.headers(i) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            if (res.statusCode && res.statusCode < 300) ok++;
            else failed++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end(body);
    });
  const worker = async () => {
    while (next < o.requests && performance.now() < deadline) await one(next++);
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { requests: ok + failed, ok, failed, seconds, perSecond: ok / seconds, p50ms: q(0.5), p95ms: q(0.95) };
}
