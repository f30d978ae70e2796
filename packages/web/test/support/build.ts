/**
 * The pages' build for the tests: dist/ is (re)built when it is missing or older than a source
 * file, so a test never runs against stale pages.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const DIST = join(WEB_ROOT, 'dist');

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'test' || name.startsWith('.')) continue;
    const path = join(dir, name);
    const s = statSync(path);
    t = Math.max(t, s.isDirectory() ? newest(path) : s.mtimeMs);
  }
  return t;
}

let building: Promise<void> | null = null;

export function ensureWebBuilt(): Promise<void> {
  building ??= (async () => {
    const index = join(DIST, 'index.html');
    if (existsSync(index) && statSync(index).mtimeMs >= newest(WEB_ROOT)) return;
    const { build } = await import('vite');
    await build({ configFile: join(WEB_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  })();
  return building;
}
