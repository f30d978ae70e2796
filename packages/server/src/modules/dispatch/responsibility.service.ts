import { randomUUID } from 'node:crypto';
import type { Actor, Clock, Place, ResponsibilityItem, ResponsibilityList, SheetRow } from '@gridloop/domain';
import { can, itemsFromRows, listScopesOf, placeOfCode } from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import { httpError, unwrap } from '../../http/errors.ts';
import { isUniqueViolation } from '../people/user.service.ts';
import {
  allDepartmentRefs, findActiveHeaders, findHeader, fullList, insertList, latestVersion, listActiveHeaders, type ListHeader, listItems, listVersions, regionExists,
} from './responsibility.repository.ts';
import { readSheet, writeSheet } from './responsibility.sheet.ts';

export interface ItemInput {
  code?: string;
  name: string;
  category: string;
  keywords?: string[] | string;
  level: string;
  leadDepartment?: string | null;
  cooperatingDepartments?: string[] | string;
  boundary?: string;
  urgency?: string;
  timeLimit: string | number;
  basis?: string | null;
}

const LIST_LEVELS = ['township', 'county', 'city'];

/** Responsibility lists 履行职责事项清单: import (Excel or JSON) as a new version, read, export. */
export function createResponsibilityService(deps: { database: Database; clock: Clock }) {
  const { database, clock } = deps;
  /** Items of a list id never change: cache them (lists are small, ids are immutable versions). */
  const itemCache = new Map<string, ResponsibilityItem[]>();

  async function itemsOf(listId: string): Promise<ResponsibilityItem[]> {
    let items = itemCache.get(listId);
    if (!items) {
      items = await listItems(database.db, listId);
      if (itemCache.size > 500) itemCache.delete(itemCache.keys().next().value as string);
      itemCache.set(listId, items);
    }
    return items;
  }

  async function checkScope(actor: Actor, scopeCode: string, write: boolean): Promise<{ name: string }> {
    const place = placeOfCode(scopeCode);
    const region = place ? await regionExists(database.db, scopeCode) : null;
    if (!place || !region || !LIST_LEVELS.includes(region.level)) {
      throw httpError(404, 'scope_not_found', `No township, county or city ${scopeCode}`, `乡镇（街道）、区县或市 ${scopeCode} 不存在`);
    }
    if (write ? !can(actor, 'department.write', { place }) : !can(actor, 'department.read')) {
      throw httpError(403, 'forbidden', write ? 'Only an administrator of this territory may change its responsibility list' : 'You may not read responsibility lists',
        write ? '只有该辖区的系统管理员可以修改履行职责事项清单' : '无权查看履行职责事项清单');
    }
    return region;
  }

  async function store(actor: Actor, scopeCode: string, rows: SheetRow[], meta: { name?: string; note?: string; source: 'xlsx' | 'api' }, regionName: string) {
    const departments = await allDepartmentRefs(database.db);
    const items = unwrap(itemsFromRows(rows, departments));
    const attempt = () =>
      database.write(async (trx) => {
        const version = (await latestVersion(trx, scopeCode)) + 1;
        const header: ListHeader = {
          id: randomUUID(), scopeCode, version, name: meta.name?.trim() || `${regionName}履行职责事项清单`, itemCount: items.length,
          source: meta.source, note: meta.note?.trim() || null, createdBy: actor.userId, createdAt: clock.now().toISOString(),
        };
        await insertList(trx, header, items);
        return header;
      });
    // Two imports for one scope at once: the unique (scope, version) index lets one in; retry the other.
    const header = await attempt().catch((error: unknown) => (isUniqueViolation(error) ? attempt() : Promise.reject(error)));
    itemCache.set(header.id, items);
    return fullList(header, items);
  }

  function departmentNamer(departments: { id: string; name: string }[]) {
    const count = new Map<string, number>();
    for (const d of departments) count.set(d.name, (count.get(d.name) ?? 0) + 1);
    const byId = new Map(departments.map((d) => [d.id, d.name]));
    // A name shared by two departments would not import back unambiguously: write the id instead.
    return (id: string) => {
      const name = byId.get(id);
      return name && count.get(name) === 1 ? name : id;
    };
  }

  return {
    itemsOf,

    /** The active lists that apply to a place, most specific first (township, county, city). */
    async activeListsFor(place: Place): Promise<ResponsibilityList[]> {
      const scopes = listScopesOf(place);
      const headers = await findActiveHeaders(database.db, scopes);
      headers.sort((a, b) => scopes.indexOf(a.scopeCode) - scopes.indexOf(b.scopeCode));
      return Promise.all(headers.map(async (h) => fullList(h, await itemsOf(h.id))));
    },

    async importSheet(actor: Actor, scopeCode: string, data: Buffer, meta: { name?: string; note?: string }) {
      const region = await checkScope(actor, scopeCode, true);
      const sheet = unwrap(await readSheet(data));
      return store(actor, scopeCode, sheet.rows, { ...meta, source: 'xlsx' }, region.name);
    },

    async importItems(actor: Actor, scopeCode: string, body: { name?: string; note?: string; items: ItemInput[] }) {
      const region = await checkScope(actor, scopeCode, true);
      const list = (v: string[] | string | undefined) => (Array.isArray(v) ? v.join('、') : (v ?? ''));
      // The same checks as a sheet: item n is "row n + 1" (row 1 being the header).
      const rows: SheetRow[] = body.items.map((it, i) => ({
        row: i + 2,
        cells: {
          code: it.code ?? '', name: it.name, category: it.category, keywords: list(it.keywords), level: it.level, lead: it.leadDepartment ?? '',
          cooperating: list(it.cooperatingDepartments), boundary: it.boundary ?? '', urgency: it.urgency ?? '', timeLimit: String(it.timeLimit), basis: it.basis ?? '',
        },
      }));
      return store(actor, scopeCode, rows, { ...body, source: 'api' }, region.name);
    },

    async get(actor: Actor, scopeCode: string, version?: number) {
      await checkScope(actor, scopeCode, false);
      const header = await findHeader(database.db, scopeCode, version);
      if (!header) throw httpError(404, 'list_not_found', `No responsibility list${version ? ` version ${version}` : ''} for ${scopeCode}`, `${scopeCode} 没有${version ? `第${version}版` : ''}履行职责事项清单`);
      return { header, list: fullList(header, await itemsOf(header.id)) };
    },

    async versions(actor: Actor, scopeCode: string) {
      await checkScope(actor, scopeCode, false);
      return listVersions(database.db, scopeCode);
    },

    async listActive(actor: Actor, under: string | null) {
      if (!can(actor, 'department.read')) throw httpError(403, 'forbidden', 'You may not read responsibility lists', '无权查看履行职责事项清单');
      return listActiveHeaders(database.db, under);
    },

    /** The list as a workbook; without any version yet, an empty template with the headers. */
    async exportSheet(actor: Actor, scopeCode: string, version?: number): Promise<{ data: Buffer; filename: string }> {
      const region = await checkScope(actor, scopeCode, false);
      const header = await findHeader(database.db, scopeCode, version);
      if (!header && version !== undefined) throw httpError(404, 'list_not_found', `No version ${version} for ${scopeCode}`, `${scopeCode} 没有第${version}版清单`);
      const list = header ? fullList(header, await itemsOf(header.id)) : null;
      const name = departmentNamer(await allDepartmentRefs(database.db));
      const title = header ? `${header.name}（第${header.version}版）` : `${region.name}履行职责事项清单`;
      const data = await writeSheet(list, { title, departmentName: name });
      return { data, filename: `responsibility-${scopeCode}-v${header?.version ?? 0}.xlsx` };
    },
  };
}

export type ResponsibilityService = ReturnType<typeof createResponsibilityService>;
