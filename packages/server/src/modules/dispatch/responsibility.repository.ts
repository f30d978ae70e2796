import type { HandlingLevel, ResponsibilityItem, ResponsibilityList, TimeLimit } from '@gridloop/domain';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, ResponsibilityItemsTable, ResponsibilityListsTable } from '../../adapters/db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export interface ListHeader {
  id: string;
  scopeCode: string;
  version: number;
  name: string;
  itemCount: number;
  source: 'xlsx' | 'api';
  note: string | null;
  createdBy: string | null;
  createdAt: string;
}

function toHeader(r: Selectable<ResponsibilityListsTable>): ListHeader {
  return {
    id: r.id, scopeCode: r.scope_code, version: r.version, name: r.name, itemCount: r.item_count,
    source: r.source as ListHeader['source'], note: r.note, createdBy: r.created_by, createdAt: r.created_at,
  };
}

function toItem(r: Selectable<ResponsibilityItemsTable>): ResponsibilityItem {
  return {
    code: r.code, name: r.name, category: r.category, keywords: JSON.parse(r.keywords) as string[], level: r.level as HandlingLevel,
    leadDepartmentId: r.lead_department_id, cooperatingDepartmentIds: JSON.parse(r.cooperating_department_ids) as string[],
    blurred: Number(r.blurred) === 1, urgent: Number(r.urgent) === 1, timeLimit: JSON.parse(r.time_limit) as TimeLimit, basis: r.basis,
  };
}

export async function latestVersion(db: Executor, scopeCode: string): Promise<number> {
  const r = await db.selectFrom('responsibility_lists').select((eb) => eb.fn.max('version').as('v')).where('scope_code', '=', scopeCode).executeTakeFirst();
  return Number(r?.v ?? 0);
}

export async function insertList(db: Executor, header: ListHeader, items: readonly ResponsibilityItem[]): Promise<void> {
  await db.insertInto('responsibility_lists').values({
    id: header.id, scope_code: header.scopeCode, version: header.version, name: header.name, item_count: items.length,
    source: header.source, note: header.note, created_by: header.createdBy, created_at: header.createdAt,
  }).execute();
  // Chunks keep each INSERT under the bound-parameter limits of both dialects.
  for (let i = 0; i < items.length; i += 200) {
    await db.insertInto('responsibility_items').values(items.slice(i, i + 200).map((it, j) => ({
      list_id: header.id, position: i + j + 1, code: it.code, name: it.name, category: it.category, keywords: JSON.stringify(it.keywords),
      level: it.level, lead_department_id: it.leadDepartmentId, cooperating_department_ids: JSON.stringify(it.cooperatingDepartmentIds),
      blurred: it.blurred ? 1 : 0, urgent: it.urgent ? 1 : 0, time_limit: JSON.stringify(it.timeLimit), basis: it.basis,
    }))).execute();
  }
}

/** The newest version of each of these scopes (one indexed lookup per scope). */
export async function findActiveHeaders(db: Executor, scopeCodes: readonly string[]): Promise<ListHeader[]> {
  if (!scopeCodes.length) return [];
  const rows = await db
    .selectFrom('responsibility_lists as l')
    .selectAll('l')
    .where('l.scope_code', 'in', scopeCodes)
    .where((eb) => eb('l.version', '=', eb.selectFrom('responsibility_lists as m').select((m) => m.fn.max('m.version').as('v')).whereRef('m.scope_code', '=', 'l.scope_code')))
    .execute();
  return rows.map(toHeader);
}

export async function findHeader(db: Executor, scopeCode: string, version?: number): Promise<ListHeader | null> {
  let q = db.selectFrom('responsibility_lists').selectAll().where('scope_code', '=', scopeCode);
  q = version === undefined ? q.orderBy('version', 'desc') : q.where('version', '=', version);
  const r = await q.limit(1).executeTakeFirst();
  return r ? toHeader(r) : null;
}

export async function listItems(db: Executor, listId: string): Promise<ResponsibilityItem[]> {
  const rows = await db.selectFrom('responsibility_items').selectAll().where('list_id', '=', listId).orderBy('position').execute();
  return rows.map(toItem);
}

export async function listVersions(db: Executor, scopeCode: string): Promise<ListHeader[]> {
  const rows = await db.selectFrom('responsibility_lists').selectAll().where('scope_code', '=', scopeCode).orderBy('version', 'desc').execute();
  return rows.map(toHeader);
}

/** Newest version of every list whose scope starts with `prefix` (all when null). */
export async function listActiveHeaders(db: Executor, prefix: string | null): Promise<ListHeader[]> {
  let q = db
    .selectFrom('responsibility_lists as l')
    .selectAll('l')
    .where((eb) => eb('l.version', '=', eb.selectFrom('responsibility_lists as m').select((m) => m.fn.max('m.version').as('v')).whereRef('m.scope_code', '=', 'l.scope_code')));
  if (prefix) q = q.where('l.scope_code', 'like', `${prefix}%`);
  return (await q.orderBy('l.scope_code').execute()).map(toHeader);
}

export async function allDepartmentRefs(db: Executor): Promise<{ id: string; name: string; regionCode: string; kind: string }[]> {
  const rows = await db.selectFrom('departments').select(['id', 'name', 'region_code', 'kind']).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, regionCode: r.region_code, kind: r.kind }));
}

export async function regionExists(db: Executor, code: string): Promise<{ level: string; name: string } | null> {
  const r = await db.selectFrom('regions').select(['level', 'name']).where('code', '=', code).executeTakeFirst();
  return r ?? null;
}

export function fullList(header: ListHeader, items: ResponsibilityItem[]): ResponsibilityList {
  return { id: header.id, scopeCode: header.scopeCode, version: header.version, name: header.name, items, createdAt: header.createdAt, createdBy: header.createdBy };
}
