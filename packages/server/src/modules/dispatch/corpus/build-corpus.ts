/**
 * Regenerates corpus.jsonl from the seeds: `npx tsx packages/server/src/modules/dispatch/corpus/build-corpus.ts`.
 * A test checks that the checked-in file matches this output.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateCorpus, toJsonl } from './corpus.generate.ts';

const items = generateCorpus();
const path = fileURLToPath(new URL('./corpus.jsonl', import.meta.url));
writeFileSync(path, toJsonl(items));
const test = items.filter((i) => i.split === 'test').length;
console.log(`wrote ${items.length} items (${items.length - test} train, ${test} test) to ${path}`);
