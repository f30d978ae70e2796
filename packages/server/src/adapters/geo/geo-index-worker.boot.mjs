// Entry of the geo index's build thread. Worker threads do not inherit the parent's module
// loader, so TypeScript is registered here (tsx, as bin/gridloop.js does) before the real module.
import { register } from 'tsx/esm/api';

register();
await import('./geo-index.worker.ts');
