#!/usr/bin/env node
// Type-checks the pages, .vue files included (vue-tsc), with this package's TypeScript 5: the
// repository's TypeScript 7 (native) has no JavaScript API for vue-tsc to drive.
// Usage: node packages/web/scripts/typecheck-vue.cjs  (or npm run typecheck -w @gridloop/web)
const path = require('node:path');
const web = path.resolve(__dirname, '..');
process.chdir(web);
if (!process.argv.includes('-p')) process.argv.push('-p', path.join(web, 'tsconfig.json'));
if (!process.argv.includes('--noEmit')) process.argv.push('--noEmit');
require('vue-tsc').run(require.resolve('typescript/lib/tsc', { paths: [web] }));
