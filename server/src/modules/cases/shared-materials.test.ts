import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, login, type Session, type TestPlatform } from '../../../test/harness.js';
import { applicationFor, caseDetail, demoItem, submitCase } from '../../../test/case-fixtures.js';
import type { ItemGuide } from '../catalog/public-schemas.js';
import type { ApplicantPrincipal } from '../../platform/auth/principal.js';
import { DEMO_PERSON } from '../demo/seed.js';
import { CasesService } from './service.js';

/*
 * 免提交: a material standing on shared data is looked up through the data-sharing gateway for the
 * case, instead of being uploaded (issue 9, "material replacement").
 */
let platform: TestPlatform;
let person: Session;
let soleTrader: ItemGuide;

beforeAll(async () => {
  platform = await createTestPlatform();
  person = await login(platform.app, '440304199001011233');
  soleTrader = await demoItem(platform, '个体工商户设立登记');
});
afterAll(() => platform.close());

const premises = () => soleTrader.materials.find((m) => m.resourceId === 'real_estate')!;

describe('a material standing on shared data', () => {
  it('is looked up for the case and accepted when the provider has the applicant, with the look-up in the access log', async () => {
    const base = await applicationFor(platform, person, soleTrader);
    const materials = [...base.materials.filter((m) => m.materialId !== premises().id), { materialId: premises().id, resourceId: 'real_estate' }];
    const { caseNumber } = await submitCase(platform, person, soleTrader, { materials });
    const detail = await caseDetail(platform, person, caseNumber);
    const material = detail.materials.find((m) => m.materialId === premises().id)!;
    expect(material).toMatchObject({ source: 'shared_data', verdict: 'accepted', verdictReason: '已通过数据共享核验' });

    const logged = await platform.database.db.selectFrom('sharing_access_log').select(['case_ref', 'outcome', 'consumer_department_id']).where('case_ref', '=', caseNumber).execute();
    expect(logged).toEqual([{ case_ref: caseNumber, outcome: 'ok', consumer_department_id: soleTrader.departmentId }]);
  });

  it('stays pending for the clerk, with the reason, when the look-up is refused', async () => {
    // every grant revoked: the market regulation bureau may no longer look the register up
    const before = await platform.database.db.selectFrom('sharing_grants').select('id').where('revoked_at', 'is', null).execute();
    await platform.database.db.updateTable('sharing_grants').set({ revoked_at: new Date() }).where('revoked_at', 'is', null).execute();
    await platform.database.db.updateTable('sharing_meta').set((eb) => ({ revision: eb('revision', '+', 1) })).execute();
    try {
      await new Promise((resolve) => setTimeout(resolve, 1100)); // the gateway re-reads grants at most once a second
      const base = await applicationFor(platform, person, soleTrader);
      const materials = [...base.materials.filter((m) => m.materialId !== premises().id), { materialId: premises().id, resourceId: 'real_estate' }];
      const { caseNumber, status } = await submitCase(platform, person, soleTrader, { materials });
      expect(status).toBe('submitted');
      const material = (await caseDetail(platform, person, caseNumber)).materials.find((m) => m.materialId === premises().id)!;
      expect(material.verdict).toBe('pending');
      expect(material.verdictReason).toMatch(/^数据共享核验未通过（\w+），请人工核验$/);
      const logged = await platform.database.db.selectFrom('sharing_access_log').select('outcome').where('case_ref', '=', caseNumber).execute();
      expect(logged).toEqual([{ outcome: 'refused' }]);
    } finally {
      await platform.database.db.updateTable('sharing_grants').set({ revoked_at: null }).where('id', 'in', before.map((g) => g.id)).execute();
    }
  });

  it('leaves the material for the clerk when the look-up fails unexpectedly: the filing stands', async () => {
    const { calendar, catalogQuery, org, identity, files } = platform.services;
    const failing = new CasesService(platform.database.db, { calendar, catalogQuery, org, identity, files }, {
      sharedData: { verify: () => Promise.reject(new Error('connection reset')) },
    });
    const applicant: ApplicantPrincipal = { kind: 'applicant', userId: person.user.id, applicantKind: 'natural', name: DEMO_PERSON.name };
    const base = await applicationFor(platform, person, soleTrader);
    const materials = [...base.materials.filter((m) => m.materialId !== premises().id), { materialId: premises().id, resourceId: 'real_estate' }];
    const created = await failing.submit(applicant, null, { ...base, materials });
    expect(created).toMatchObject({ status: 'submitted', version: 1 });
    const material = (await caseDetail(platform, person, created.caseNumber)).materials.find((m) => m.materialId === premises().id)!;
    expect(material).toMatchObject({ verdict: 'pending', verdictReason: '数据共享核验未通过（lookup_failed），请人工核验' });
  });
});
