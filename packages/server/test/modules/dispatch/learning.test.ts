import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../helpers/databases.ts';
import { createTestApp, type TestApp, type TestUser } from '../../helpers/app.ts';
import { DispatchClassifier } from '../../../src/modules/dispatch/dispatch-classifier.ts';
import { listCorrections } from '../../../src/modules/dispatch/routing.repository.ts';
import { client, DEPTS, seedDispatchDepartments, tokensOf } from './dispatch-helpers.ts';

const at = (n: number) => ({ lng: 113.955 + n * 0.005, lat: 33.56 });
type Label = { label: string; probability: number };
const p = (labels: Label[], label: string) => labels.find((l) => l.label === label)?.probability ?? 0;

for (const dialect of DIALECTS) {
  describe(`learning from dispatchers' corrections (${dialect})`, () => {
    let t: TestApp;
    let tokens: Record<TestUser, string>;
    let api: ReturnType<typeof client>;
    const signals = async (id: string) => (await api.get('dispatcher', `/api/cases/${id}/routing`)).json().classifier as { departments: Label[]; modelVersion: number };

    beforeAll(async () => {
      t = await createTestApp({ dialect });
      await seedDispatchDepartments(t);
      tokens = await tokensOf(t);
      api = client(t, tokens);
    });
    afterAll(async () => t?.close());

    it('a dispatch to another unit than suggested is recorded and changes a later prediction; corrections survive a restart', async () => {
      // Lamps at the foot of a building: the corpus sends them to the city (urban management or
      // housing), while this city's dispatchers send them to the property manager.
      const text = (n: number) => [`单元门口的路灯一直不亮，走夜路很吓人`, `我们楼下的路灯坏了，晚上黑漆漆的`, `楼下路灯坏了没人修，麻烦派人看看`][n];
      const before = await api.report('citizen', { source: 'citizen_app', category: 'road_facilities', description: text(0), location: at(0) });
      const first = await signals(before.id);
      expect(first.departments[0].label).not.toBe('property_management');
      const pBefore = p(first.departments, 'property_management');

      // Dispatchers keep sending these lamps to the property manager.
      let expected = 0;
      const topDepartment = async (id: string) =>
        (await api.get('dispatcher', `/api/cases/${id}/routing`)).json().candidates.find((c: { target: { kind: string } }) => c.target.kind === 'department')?.target.departmentId;
      for (const c of [before, await api.report('citizen', { source: 'citizen_app', category: 'road_facilities', description: text(1), location: at(1) })]) {
        if ((await topDepartment(c.id)) !== DEPTS.property) expected++;
        await api.act('dispatcher', c.id, 'accept');
        await api.act('dispatcher', c.id, 'dispatch', { departmentId: DEPTS.property });
      }
      expect(expected).toBeGreaterThanOrEqual(1);
      const status = (await api.get('dispatcher', '/api/dispatch/classifier')).json();
      expect(status.corrections).toBe(expected);
      const rows = await listCorrections(t.database.db);
      expect(rows.map((r) => [r.chosenDepartmentId, r.departmentLabel, r.category])).toEqual(
        Array.from({ length: expected }, () => [DEPTS.property, 'property_management', 'road_facilities']),
      );
      expect(rows[0].suggestedDepartmentId).not.toBe(DEPTS.property);

      const later = await api.report('citizen', { source: 'citizen_app', category: 'road_facilities', description: text(2), location: at(2) });
      const after = await signals(later.id);
      expect(after.modelVersion).toBeGreaterThan(first.modelVersion);
      expect(p(after.departments, 'property_management')).toBeGreaterThan(pBefore);
      expect(after.departments[0].label).toBe('property_management');
      const s = (await api.get('dispatcher', `/api/cases/${later.id}/routing`)).json();
      expect(s.candidates.map((c: { target: { departmentId?: string } }) => c.target.departmentId)).toContain(DEPTS.property);

      // A dispatch that agrees with the suggestion is not a correction.
      const agreeing = await api.report('citizen', { source: 'citizen_app', category: 'road_facilities', description: '小区路灯不亮了', location: at(3) });
      const top = (await api.get('dispatcher', `/api/cases/${agreeing.id}/routing`)).json().candidates.find((c: { target: { kind: string } }) => c.target.kind === 'department').target.departmentId;
      await api.act('dispatcher', agreeing.id, 'accept');
      await api.act('dispatcher', agreeing.id, 'dispatch', { departmentId: top });
      await api.get('dispatcher', `/api/cases/${agreeing.id}/routing`);
      expect((await api.get('dispatcher', '/api/dispatch/classifier')).json().corrections).toBe(expected);

      // A new process replays the stored corrections onto the base model.
      const fresh = new DispatchClassifier(async () => (await listCorrections(t.database.db)).map((c) => ({ text: c.description, category: c.category, department: c.departmentLabel })));
      expect((await fresh.classify(text(2))).departments[0].label).toBe('property_management');
    });

    it('only administrators retrain; the retrain runs in the background', async () => {
      expect((await api.post('dispatcher', '/api/dispatch/classifier/retrain')).statusCode).toBe(403);
    });
  });
}
