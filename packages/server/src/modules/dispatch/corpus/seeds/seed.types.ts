/**
 * Seed descriptions for the dispatch corpus. Each seed is one hand-written problem statement; the
 * generator (corpus.generate.ts) wraps it in a caller's, operator's or grid worker's framing, fills
 * the place slots and adds noise. A seed is a string (labelled with the category's default
 * department) or a tuple [text, department] when another unit owns that particular problem.
 *
 * Place slots: {小区} residential compound, {路} road, {路口} intersection, {村} village,
 * {市场} market, {学校} school, {医院} hospital/clinic, {店} shop or restaurant.
 */
export type Seed = string | readonly [text: string, department: string];

export interface SeedCategory {
  category: string;
  /** Department that owns most items of the category. */
  department: string;
  /** How the text is framed: a problem report, a question, or a proposal. */
  voice: 'report' | 'enquiry' | 'suggestion';
  seeds: readonly Seed[];
}

/**
 * A later batch: it continues every category's seed list. A `trainOnly` batch adds no held-out
 * items (the held-out split was frozen after the sixth batch: docs/dispatch.md).
 */
export interface SeedBatch {
  readonly seeds: Readonly<Record<string, readonly Seed[]>>;
  readonly trainOnly?: boolean;
}
