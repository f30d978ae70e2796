import type { Actor, CaseAction, CaseSource, CaseStatus, Role, TransitionInput } from '@gridloop/domain';
import { bbox, CASE_SOURCES, CATEGORIES, fixedClock, parsePolygonal, placeOfCode, seededRandom } from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import type { GeoIndexHolder } from '../../adapters/geo/geo-index-holder.ts';
import { createEventBus } from '../../events/event-bus.ts';
import { HttpError } from '../../http/errors.ts';
import { createCaseService } from '../cases/case.service.ts';
import { createIntakeService } from '../cases/intake.service.ts';
import { createDepartment } from '../departments/department.service.ts';
import { hashPassword } from '../people/password.ts';
import { createUser } from '../people/user.service.ts';
import { insertGrid, listGridPolygons } from '../territory/grid.repository.ts';
import { findRegion } from '../territory/region.repository.ts';
import { DEMO_DEPARTMENTS, DEMO_TEXTS, demoDepartmentId } from './demo-data.ts';

export const DEMO_PASSWORD = 'gridloop';

export interface DemoLogin {
  username: string;
  role: Role;
  scope: string;
}

export interface DemoSeedResult {
  logins: DemoLogin[];
  cases: number;
  byStatus: Record<string, number>;
}


/** The paths that take a new case to each state, as the people who would do it. */
type Step = [CaseAction, 'dispatcher' | 'handler' | 'verifier' | 'citizen' | 'leader' | 'worker', TransitionInput?];
const TO_WORK: Step[] = [['accept', 'dispatcher'], ['dispatch', 'dispatcher'], ['start', 'handler']];
const HANDLED: Step[] = [...TO_WORK, ['handle', 'handler', { feedback: '已到现场核实并处理完毕，群众已知晓。', outcome: 'solved' }]];
const PATHS: Record<string, Step[]> = {
  reported: [],
  accepted: [['accept', 'dispatcher']],
  rejected: [['reject', 'dispatcher', { reason: '信息不完整，无法联系到反映人核实' }]],
  merged: [['accept', 'dispatcher'], ['merge', 'dispatcher']],
  dispatched: [['accept', 'dispatcher'], ['dispatch', 'dispatcher']],
  returned: [['accept', 'dispatcher'], ['dispatch', 'dispatcher'], ['return', 'handler', { reason: '经核实不属于本单位职责，请重新派单' }]],
  in_progress: TO_WORK,
  extension: [...TO_WORK, ['request_extension', 'handler', { reason: '需协调施工队伍，申请延期', until: '' }]],
  handled: HANDLED,
  verified: [...HANDLED, ['verify', 'verifier']],
  suspended: [...TO_WORK, ['suspend', 'dispatcher', { reason: '涉及司法诉讼，等待法院判决' }]],
  deferred: [...TO_WORK, ['request_deferral', 'handler', { deferralReason: 'budget', note: '需纳入下年度财政预算' }], ['approve_deferral', 'leader', { reviewAt: '' }]],
  closed: [...HANDLED, ['verify', 'verifier'], ['rate', 'citizen', { rating: 'satisfied', comment: '处理及时，满意' }]],
  reopened: [...HANDLED, ['verify', 'verifier'], ['rate', 'citizen', { rating: 'unsatisfied', comment: '问题还没彻底解决' }]],
  on_spot: [['resolve_on_spot', 'worker', { feedback: '网格员现场劝导并处置完毕' }], ['verify', 'verifier']],
};
const TARGETS = Object.keys(PATHS);

/**
 * The demo city: departments, one login per role, a micro-grid, and `cases` cases spread over
 * every state, source and district, driven through the real services so each has a true history.
 * Needs the city's regions and grids (import-regions + generateTerritoryGeometry) first.
 */
export async function seedDemo(database: Database, geo: GeoIndexHolder, opts: { cityCode: string; cases: number; now?: Date; log?: (line: string) => void }): Promise<DemoSeedResult> {
  const { cityCode } = opts;
  const log = opts.log ?? (() => {});
  const now = opts.now ?? new Date();
  const clock = fixedClock(now);
  const city = await findRegion(database.db, cityCode);
  if (!city) throw new Error(`city ${cityCode} is not imported: run import-regions --city ${cityCode} first`);
  const cityName = city.name;

  for (const d of DEMO_DEPARTMENTS) {
    const r = await createDepartment(database, { id: demoDepartmentId(cityCode, d.key), name: `${cityName}${d.zh}`, nameEn: d.en, kind: d.kind, level: 'city', regionCode: cityCode }, clock);
    if (!r.ok && r.error.code !== 'duplicate_department') throw new Error(`department ${d.key}: ${r.error.message}`);
  }

  const grids = (await listGridPolygons(database.db)).filter((g) => g.code.startsWith(cityCode));
  if (!grids.length) throw new Error(`city ${cityCode} has no grids: generate them first`);
  const random = seededRandom(20261123);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const users = new Map<string, string>();
  const logins: DemoLogin[] = [];
  const user = async (username: string, role: Role, scopeCode: string | null, departmentId: string | null, displayName = username, listed = false) => {
    const key = username;
    if (users.has(key)) return users.get(key)!;
    const r = await createUser(database, { username, displayName, role, passwordHash, scopeCode, departmentId }, clock);
    if (!r.ok) throw new Error(`user ${username}: ${r.error.message}`);
    users.set(key, r.value.id);
    if (listed) logins.push({ username, role, scope: scopeCode ?? departmentId ?? '—' });
    return r.value.id;
  };

  // One login per role, around the first grid of the first district.
  const grid1 = grids[0].code;
  const grid2 = grids.find((g) => g.code !== grid1 && g.code.slice(0, 12) === grid1.slice(0, 12))?.code ?? grids[1].code;
  const village = grid1.slice(0, 12);
  const county = grid1.slice(0, 6);
  const micro = `${grid1}M01`;
  const place = placeOfCode(grid1)!;
  await insertGrid(database.db, {
    code: micro, name: '1号楼微网格', kind: 'community', village_code: village, parent_grid_code: grid1,
    province_code: place.provinceCode!, city_code: place.cityCode!, county_code: place.countyCode!, township_code: place.townshipCode!,
    households: 24, population: 70, created_at: now.toISOString(), updated_at: now.toISOString(),
  }).catch(() => {});
  const dept = demoDepartmentId(cityCode, 'urban_management');
  await user('admin', 'admin', null, null, '系统管理员', true);
  await user('dispatcher', 'dispatcher', cityCode, null, '市综治中心调度员', true);
  await user('county_dispatcher', 'dispatcher', county, null, '区综治中心调度员', true);
  await user('leader', 'leader', cityCode, null, '市级领导', true);
  await user('county_leader', 'leader', county, null, '区级领导', true);
  await user('supervisor', 'supervisor', cityCode, null, '市信访局督办员', true);
  await user('dept_staff', 'department_staff', null, dept, '城管局工作人员', true);
  await user('dept_head', 'department_head', null, dept, '城管局负责人', true);
  await user('grid_worker', 'grid_worker', grid1, null, '网格员', true);
  await user('grid_worker2', 'grid_worker', grid2, null, '网格员（邻格）', true);
  await user('grid_leader', 'grid_leader', village, null, '网格长', true);
  await user('grid_assistant', 'grid_assistant', grid1, null, '网格辅助员', true);
  await user('micro_grid_leader', 'micro_grid_leader', micro, null, '微网格长', true);
  await user('volunteer', 'volunteer', grid1, null, '网格志愿者', true);
  await user('citizen', 'citizen', null, null, '群众', true);

  const actorOf = async (username: string, role: Role, scopeCode: string | null, departmentId: string | null): Promise<Actor> => ({
    userId: await user(username, role, scopeCode, departmentId), role, scopeCode, departmentId,
  });
  const dispatcher = await actorOf('dispatcher', 'dispatcher', cityCode, null);
  const leader = await actorOf('leader', 'leader', cityCode, null);
  const citizen = await actorOf('citizen', 'citizen', null, null);

  const pointIn = (g: { code: string; geometry: string }): [number, number] | null => {
    const poly = parsePolygonal(g.geometry);
    if (!poly) return null;
    const [minX, minY, maxX, maxY] = bbox(poly);
    for (let i = 0; i < 50; i++) {
      const lng = minX + random() * (maxX - minX);
      const lat = minY + random() * (maxY - minY);
      if (geo.current.locate(lng, lat)?.gridCode === g.code) return [lng, lat];
    }
    return null;
  };

  const byStatus: Record<string, number> = {};
  const openIds: string[] = [];
  const sources = CASE_SOURCES;
  const categories = CATEGORIES.filter((c) => !c.emergency);
  // Every tenth case sits in the demo worker's grid so that each demo login has work to see.
  const pickGrid = (i: number) => (i % 10 === 0 ? grids[0] : grids[Math.floor(random() * grids.length)]);
  let made = 0;
  for (let i = 0; i < opts.cases; i++) {
    const g = pickGrid(i);
    const point = pointIn(g);
    if (!point) continue;
    const target = TARGETS[i % TARGETS.length];
    const category = categories[Math.floor(random() * categories.length)];
    let source: CaseSource = target === 'on_spot' ? 'grid_patrol' : sources[i % sources.length];
    const needsReporter = ['closed', 'reopened', 'verified'].includes(target);
    if (needsReporter) source = 'citizen_app';
    // Spread creation over the last 30 days; each step a few hours later.
    let t = now.getTime() - (1 + random() * 29) * 86_400_000;
    clock.set(new Date(t));
    const events = createEventBus();
    const cases = createCaseService({ database, clock, events });
    const intake = createIntakeService({ database, clock, events, locate: (lng, lat) => geo.current.locate(lng, lat) });
    const worker = await actorOf(`gw_${g.code}`, 'grid_worker', g.code, null);
    const verifier = await actorOf(`gl_${g.code.slice(0, 12)}`, 'grid_leader', g.code.slice(0, 12), null);
    const reporter: Actor = source === 'citizen_app' ? citizen : source === 'grid_patrol' || source === 'household_visit' ? worker : dispatcher;
    const texts = DEMO_TEXTS[category.id] ?? ['群众反映的问题'];
    const { case: created } = await intake.report(reporter, {
      source, category: category.id, description: texts[Math.floor(random() * texts.length)],
      location: { lng: point[0], lat: point[1] }, ...(reporter === dispatcher ? { reporter: { name: '来电群众', phone: `139${String(10000000 + i).slice(-8)}` } } : {}),
    }, null);
    const toWorker = random() < 0.2;
    const handlerDept = demoDepartmentId(cityCode, category.department);
    const handler = toWorker ? worker : await actorOf(`staff_${category.department}`, 'department_staff', null, handlerDept);
    const people = { dispatcher, handler, verifier, citizen, leader, worker };
    for (const [action, who, extra] of PATHS[target]) {
      t += (1 + random() * 20) * 3_600_000;
      clock.set(new Date(Math.min(t, now.getTime())));
      const input: TransitionInput = { ...extra };
      if (action === 'dispatch') Object.assign(input, toWorker ? { workerId: worker.userId } : { departmentId: handlerDept });
      if (action === 'merge') {
        const into = openIds.find((id) => id !== created.id);
        if (!into) break;
        input.mergedIntoId = into;
      }
      if (action === 'request_extension') input.until = new Date(t + 60 * 86_400_000).toISOString();
      if (action === 'approve_deferral') input.reviewAt = new Date(t + 90 * 86_400_000).toISOString();
      try {
        await cases.transition(people[who], created.id, action, input);
      } catch (error) {
        // A rule of the deadline engine may refuse a step (e.g. an extension asked after the
        // deadline has passed): the demo case then stays where it is, as it would in real life.
        if (error instanceof HttpError && error.statusCode < 500) break;
        throw error;
      }
    }
    const status = (await cases.get(dispatcher, created.id)).case.status as CaseStatus;
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    if (status === 'accepted' || status === 'in_progress') openIds.push(created.id);
    made++;
    if (made % 100 === 0) log(`  ${made} cases`);
  }
  clock.set(now);
  return { logins, cases: made, byStatus };
}
