/**
 * Two instances of the platform on one database (as two processes behind a load balancer would
 * be): online submissions and window filings sent to both at once get unique case numbers, one
 * after another in the day's sequence (numbers.ts bumps one counter row atomically).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { App } from '../../platform/http/types.js';
import { todayInShanghai } from '../../platform/time.js';
import { as, createTestPlatform, loginAll, type Session, type TestPlatform } from '../../../test/harness.js';
import { applicationFor, demoItem, ITEMS, sampleForm } from '../../../test/case-fixtures.js';
import { TEST_PASSWORD_COST } from '../../../test/templates.js';
import { demoIdNumber } from '../demo/seed.js';

let platform: TestPlatform;
let second: App;
let person: Session;
let clerk: Session;

beforeAll(async () => {
  platform = await createTestPlatform();
  // the same configuration (session secret) and database: a session made on one instance is good on the other
  ({ app: second } = await buildApp({ config: platform.config, db: platform.database.db, logger: false, passwordCost: TEST_PASSWORD_COST }));
  await second.ready();
  ({ person, clerk } = await loginAll(platform.app, ['person', 'clerk']));
});
afterAll(async () => {
  await second.close();
  await platform.close();
});

describe('case numbers across instances', () => {
  it('are unique and consecutive when two instances file on one item at once', async () => {
    const guide = await demoItem(platform, ITEMS.food);
    const online = await applicationFor(platform, person, guide);
    const required = guide.materials.filter((m) => m.requirement === 'required');
    const walkIn = (i: number) => ({
      itemCode: guide.implementationCode,
      applicant: { kind: 'natural', name: '李四', idNumber: demoIdNumber('440305', '19851212', String(100 + i)), phone: '13600001111' },
      form: sampleForm(guide),
      materials: required.map((m) => ({ materialId: m.id, paper: true })),
    });
    const instances = [platform.app, second];
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) => {
        const app = instances[i % 2]!;
        return i % 3 === 0
          ? as(app, clerk, { method: 'POST', url: '/api/v1/window/cases', payload: walkIn(i) })
          : as(app, person, { method: 'POST', url: '/api/v1/cases', payload: online });
      }),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(24).fill(201));
    const numbers = answers.map((a) => (a.json() as { caseNumber: string }).caseNumber);
    expect(new Set(numbers).size).toBe(24);
    const prefix = `${guide.implementationCode}${todayInShanghai().replaceAll('-', '')}`;
    for (const n of numbers) expect(n).toMatch(new RegExp(`^${prefix}\\d{4}$`));
    const sequences = numbers.map((n) => Number(n.slice(-4))).sort((a, b) => a - b);
    // consecutive after whatever the day already numbered (the demo city's own cases)
    expect(sequences).toEqual(Array.from({ length: 24 }, (_, i) => sequences[0]! + i));
  });
});
