import type { BenchSection } from '../bench.types.ts';
import { intakeBench } from './intake.bench.ts';
import { territoryBench } from './territory.bench.ts';

/** Every bench section, in order. A capability adds its own file here. */
export const BENCH_SECTIONS: BenchSection[] = [intakeBench, territoryBench];
