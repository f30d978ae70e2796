import { CITY_SEEDS } from './seeds.city.ts';
import { DISPUTE_SEEDS } from './seeds.dispute.ts';
import { ENVIRONMENT_SEEDS } from './seeds.environment.ts';
import { MARKET_SEEDS } from './seeds.market.ts';
import { SAFETY_SEEDS } from './seeds.safety.ts';
import { SERVICE_SEEDS } from './seeds.service.ts';
import { SOCIAL_SEEDS } from './seeds.social.ts';
import { UTILITY_SEEDS } from './seeds.utility.ts';
import type { SeedCategory } from './seed.types.ts';

export type { Seed, SeedCategory } from './seed.types.ts';

export const ALL_SEEDS: readonly SeedCategory[] = [
  ...CITY_SEEDS, ...ENVIRONMENT_SEEDS, ...MARKET_SEEDS, ...SAFETY_SEEDS,
  ...UTILITY_SEEDS, ...DISPUTE_SEEDS, ...SOCIAL_SEEDS, ...SERVICE_SEEDS,
];
