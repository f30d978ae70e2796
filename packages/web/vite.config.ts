import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import vue from '@vitejs/plugin-vue';
import { type Plugin, defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * One multi-page build: every page is its own HTML entry so that a page loads only its own code
 * (the citizen H5 never pulls ECharts). The server serves dist/ at `/` (modules/web).
 */
export const PAGES = {
  login: 'index.html',
  citizen: 'm/citizen/index.html',
  worker: 'm/worker/index.html',
  dispatch: 'console/dispatch/index.html',
  department: 'console/department/index.html',
  screen: 'screen/index.html',
  admin: 'admin/index.html',
} as const;

/** Writes `x.gz` beside every text file of dist: the server sends them to clients that accept gzip. */
function gzipCopies(): Plugin {
  return {
    name: 'gridloop-gzip-copies',
    apply: 'build',
    closeBundle() {
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name);
          if (statSync(path).isDirectory()) walk(path);
          else if (/\.(js|css|html|svg|json|webmanifest)$/.test(name) && statSync(path).size > 512) {
            writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), { level: 9 }));
          }
        }
      };
      walk(resolve(root, 'dist'));
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [vue(), gzipCopies()],
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      input: Object.fromEntries(Object.entries(PAGES).map(([name, file]) => [name, resolve(root, file)])),
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
