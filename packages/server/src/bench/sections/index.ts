import type { BenchSection } from '../bench.types.ts';
import { intakeBench } from './intake.bench.ts';
import { territoryBench } from './territory.bench.ts';
import { dispatchBench } from './dispatch.bench.ts';
import { deadlinesBench } from './deadlines.bench.ts';
import { geoBench } from './geo.bench.ts';
import { webBench } from '../../modules/web/web.bench.ts';

/** Every bench section, in order. A capability adds its own file here. */
export const BENCH_SECTIONS: BenchSection[] = [intakeBench, territoryBench, dispatchBench, deadlinesBench, geoBench, webBench];
