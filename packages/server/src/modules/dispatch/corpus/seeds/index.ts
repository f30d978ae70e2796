import { CITY_SEEDS } from './seeds.city.ts';
import { CITY_EXTRA } from './seeds.city-extra.ts';
import { ENVIRONMENT_FOURTH } from './seeds.environment-fourth.ts';
import { EIGHTH_1 } from './seeds.eighth-1.ts';
import { EIGHTH_2 } from './seeds.eighth-2.ts';
import { EIGHTH_3 } from './seeds.eighth-3.ts';
import { EIGHTH_4 } from './seeds.eighth-4.ts';
import { EIGHTH_5 } from './seeds.eighth-5.ts';
import { EIGHTH_6 } from './seeds.eighth-6.ts';
import { EIGHTH_7 } from './seeds.eighth-7.ts';
import { EIGHTH_8 } from './seeds.eighth-8.ts';
import { FIFTH_1 } from './seeds.fifth-1.ts';
import { FIFTH_2 } from './seeds.fifth-2.ts';
import { FIFTH_3 } from './seeds.fifth-3.ts';
import { FIFTH_4 } from './seeds.fifth-4.ts';
import { FIFTH_5 } from './seeds.fifth-5.ts';
import { FIFTH_6 } from './seeds.fifth-6.ts';
import { FIFTH_7 } from './seeds.fifth-7.ts';
import { FIFTH_8 } from './seeds.fifth-8.ts';
import { HAZARD_FOURTH } from './seeds.hazard-fourth.ts';
import { ORDER_FOURTH } from './seeds.order-fourth.ts';
import { DISPUTE_SEEDS } from './seeds.dispute.ts';
import { ENVIRONMENT_SEEDS } from './seeds.environment.ts';
import { MARKET_SEEDS } from './seeds.market.ts';
import { MARKET_EXTRA } from './seeds.market-extra.ts';
import { PEOPLE_EXTRA } from './seeds.people-extra.ts';
import { SIXTH_1 } from './seeds.sixth-1.ts';
import { SIXTH_2 } from './seeds.sixth-2.ts';
import { SIXTH_3 } from './seeds.sixth-3.ts';
import { SIXTH_4 } from './seeds.sixth-4.ts';
import { SIXTH_5 } from './seeds.sixth-5.ts';
import { SIXTH_6 } from './seeds.sixth-6.ts';
import { SIXTH_7 } from './seeds.sixth-7.ts';
import { SIXTH_8 } from './seeds.sixth-8.ts';
import { SAFETY_SEEDS } from './seeds.safety.ts';
import { SAFETY_EXTRA } from './seeds.safety-extra.ts';
import { SERVICE_SEEDS } from './seeds.service.ts';
import { SOCIAL_SEEDS } from './seeds.social.ts';
import { UTILITY_SEEDS } from './seeds.utility.ts';
import { SEVENTH_1 } from './seeds.seventh-1.ts';
import { SEVENTH_2 } from './seeds.seventh-2.ts';
import { SEVENTH_3 } from './seeds.seventh-3.ts';
import { SEVENTH_4 } from './seeds.seventh-4.ts';
import { SEVENTH_5 } from './seeds.seventh-5.ts';
import { SEVENTH_6 } from './seeds.seventh-6.ts';
import { SEVENTH_7 } from './seeds.seventh-7.ts';
import { SEVENTH_8 } from './seeds.seventh-8.ts';
import type { Seed, SeedBatch, SeedCategory } from './seed.types.ts';

export type { Seed, SeedBatch, SeedCategory } from './seed.types.ts';

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

/**
 * The fifth batch (2,398 seeds, 100 per category less two too close to earlier ones), written without
 * sight of the earlier seeds or the corpus: mostly everyday reports, about one in five at a border
 * between categories.
 */
export const FIFTH_SEEDS: Readonly<Record<string, readonly Seed[]>> = {
  ...FIFTH_1, ...FIFTH_2, ...FIFTH_3, ...FIFTH_4, ...FIFTH_5, ...FIFTH_6, ...FIFTH_7, ...FIFTH_8,
};

/**
 * The sixth batch (2,537 seeds: 150 for each of the ten categories cross-validation scored lowest, 75
 * for the others, less 13 too close to earlier ones), written the same way, with more villages,
 * workshops, rentals and roads.
 */
export const SIXTH_SEEDS: Readonly<Record<string, readonly Seed[]>> = {
  ...SIXTH_1, ...SIXTH_2, ...SIXTH_3, ...SIXTH_4, ...SIXTH_5, ...SIXTH_6, ...SIXTH_7, ...SIXTH_8,
};

/**
 * The seventh batch (3,051 seeds: 200 for each of the three categories cross-validation scored lowest,
 * 150 for the next ten, 60–100 for the others, less 9 too close to earlier ones), written the same
 * way. Training only: the held-out split was frozen after the sixth batch.
 */
export const SEVENTH_SEEDS: Readonly<Record<string, readonly Seed[]>> = {
  ...SEVENTH_1, ...SEVENTH_2, ...SEVENTH_3, ...SEVENTH_4, ...SEVENTH_5, ...SEVENTH_6, ...SEVENTH_7, ...SEVENTH_8,
};

/**
 * The eighth batch (2,831 seeds: 180 for the three weakest categories, 120–150 for most others, less 9
 * too close to earlier ones), written the same way, about half of them longer reports (45–100
 * characters) with a side detail that does not change the label. Training only.
 */
export const EIGHTH_SEEDS: Readonly<Record<string, readonly Seed[]>> = {
  ...EIGHTH_1, ...EIGHTH_2, ...EIGHTH_3, ...EIGHTH_4, ...EIGHTH_5, ...EIGHTH_6, ...EIGHTH_7, ...EIGHTH_8,
};

/** The batches after the first two, in order: each continues every category's seed list. */
export const LATER_SEEDS: readonly SeedBatch[] = [
  { seeds: EXTRA_SEEDS }, { seeds: FOURTH_SEEDS }, { seeds: FIFTH_SEEDS }, { seeds: SIXTH_SEEDS },
  { seeds: SEVENTH_SEEDS, trainOnly: true }, { seeds: EIGHTH_SEEDS, trainOnly: true },
];
