import { CITY_SEEDS } from './seeds.city.ts';
import { CITY_EXTRA } from './seeds.city-extra.ts';
import { ENVIRONMENT_FOURTH } from './seeds.environment-fourth.ts';
import { HAZARD_FOURTH } from './seeds.hazard-fourth.ts';
import { ORDER_FOURTH } from './seeds.order-fourth.ts';
import { DISPUTE_SEEDS } from './seeds.dispute.ts';
import { ENVIRONMENT_SEEDS } from './seeds.environment.ts';
import { MARKET_SEEDS } from './seeds.market.ts';
import { MARKET_EXTRA } from './seeds.market-extra.ts';
import { PEOPLE_EXTRA } from './seeds.people-extra.ts';
import { SAFETY_SEEDS } from './seeds.safety.ts';
import { SAFETY_EXTRA } from './seeds.safety-extra.ts';
import { SERVICE_SEEDS } from './seeds.service.ts';
import { SOCIAL_SEEDS } from './seeds.social.ts';
import { UTILITY_SEEDS } from './seeds.utility.ts';
import type { Seed, SeedCategory } from './seed.types.ts';

export type { Seed, SeedCategory } from './seed.types.ts';

export const ALL_SEEDS: readonly SeedCategory[] = [
  ...CITY_SEEDS, ...ENVIRONMENT_SEEDS, ...MARKET_SEEDS, ...SAFETY_SEEDS,
  ...UTILITY_SEEDS, ...DISPUTE_SEEDS, ...SOCIAL_SEEDS, ...SERVICE_SEEDS,
];

/**
 * The third batch, per category: these continue each category's list (a category's seed #n here
 * is its seed `ALL_SEEDS[…].seeds.length + n`), so the earlier seeds keep their indices and split.
 */
export const EXTRA_SEEDS: Readonly<Record<string, readonly Seed[]>> = {
  ...CITY_EXTRA, ...SAFETY_EXTRA, ...MARKET_EXTRA, ...PEOPLE_EXTRA,
};

/**
 * The fourth batch (380 seeds for the nine categories cross-validation confused most), continuing
 * after each category's third batch in the same way.
 */
export const FOURTH_SEEDS: Readonly<Record<string, readonly Seed[]>> = {
  ...HAZARD_FOURTH, ...ORDER_FOURTH, ...ENVIRONMENT_FOURTH,
};

/** The batches after the first two, in order: each continues every category's seed list. */
export const LATER_SEEDS: readonly Readonly<Record<string, readonly Seed[]>>[] = [EXTRA_SEEDS, FOURTH_SEEDS];
