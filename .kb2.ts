import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import type { Database } from './server/src/platform/db/schema.js';
import { fileCase } from './server/src/modules/cases/application.js';
const db = new Kysely<Database>({ dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (d) => new PostgresIntrospector(d), createQueryCompiler: () => new PostgresQueryCompiler() } });
const form: Record<string, unknown> = {}; for (let i = 0; i < 30; i++) form[`field${i}`] = `value ${i}`;
const item = { implementationCode: '11440300MB2C92179X4442010010001', name: '测试事项', departmentId: '00000000-0000-4000-8000-000000000001', version: 1, caseKind: 'promised', promisedDays: 5 } as never;
const materials = Array.from({ length: 5 }, (_, i) => ({ materialId: `m${i}`, name: `材料${i}`, source: 'upload' as const, fileId: '00000000-0000-4000-8000-000000000002', licenseId: null, sharedData: null }));
const f = { item, regionPath: '440000/440300', channel: 'online' as const, applicant: { userId: '00000000-0000-4000-8000-000000000003', kind: 'natural' as const, name: '张三', identifier: '440304199001011234', phone: '13800000000' }, filedBy: null, hallId: null, form, commitment: null, delivery: null, materials, now: new Date() };
const actor = { kind: 'applicant', id: '00000000-0000-4000-8000-000000000003', name: '张三', ip: null } as never;
async function once() { try { await fileCase(db, f as never, { action: 'submit', actor }); } catch { /* dummy driver: no row */ } }
for (let i = 0; i < 2000; i++) await once();
const t = performance.now(); const N = 10000; for (let i = 0; i < N; i++) await once();
console.log('fileCase build+compile', ((performance.now() - t) / N * 1000).toFixed(1), 'us');
const q = db.selectFrom('cases').selectAll().where('case_number', '=', 'x');
const t2 = performance.now(); for (let i = 0; i < N; i++) db.selectFrom('cases').selectAll().where('case_number', '=', 'x').compile(); console.log('simple select', ((performance.now() - t2) / N * 1000).toFixed(1), 'us'); void q;
process.exit(0);
