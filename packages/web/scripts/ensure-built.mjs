#!/usr/bin/env node
// Builds the pages when packages/web/dist is missing or older than a source file (run before
// `npm start`, so a pulled change never serves stale pages). Cheap when nothing changed.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const skip = new Set(['node_modules', 'dist', 'test', 'scripts']);

function newest(dir) {
  let t = 0;
  for (const name of readdirSync(dir)) {
    if (skip.has(name) || name.startsWith('.')) continue;
    const path = join(dir, name);
    const s = statSync(path);
    t = Math.max(t, s.isDirectory() ? newest(path) : s.mtimeMs);
  }
  return t;
}

const index = join(root, 'dist', 'index.html');
if (existsSync(index) && statSync(index).mtimeMs >= newest(root)) process.exit(0);
process.stdout.write('Building the pages (packages/web)…\n');
const { build } = await import('vite');
await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
