#!/usr/bin/env node
// gridloop command-line entry: loads the TypeScript sources through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../packages/server/src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
