/**
 * Seeds the demo catalog through the CatalogService (never its tables): the retained-proofs and
 * intermediary lists (published), the search synonyms, then every demo item created, submitted
 * and published by the system actor (exempt from the four-eyes rule). Called once by the demo
 * city seed on an empty database.
 */
import { SYSTEM_ACTOR } from '../../../platform/audit/audit.js';
import type { Services } from '../../../app.js';
import { DEMO_INTERMEDIARIES, DEMO_ITEMS, DEMO_PROOFS, DEMO_SYNONYMS } from './data.js';
import { demoIds, resolveDemoContent } from './resolve.js';

/** The demo catalog takes effect from the start of 2026, or today if that has passed (publish refuses past dates). */
export const DEMO_EFFECTIVE_FROM = '2026-01-01';

export async function seedCatalogDemo(services: Services): Promise<void> {
  const { catalog, org } = services;
  const actor = SYSTEM_ACTOR;

  const proofIds = new Map<string, string>();
  for (const p of DEMO_PROOFS) {
    const proof = await catalog.createProof(actor, null, p);
    await catalog.publishProof(actor, null, proof.id);
    proofIds.set(p.code, proof.id);
  }
  const intermediaryIds = new Map<string, string>();
  for (const i of DEMO_INTERMEDIARIES) {
    const entry = await catalog.createIntermediary(actor, null, i);
    await catalog.publishIntermediary(actor, null, entry.id);
    intermediaryIds.set(i.code, entry.id);
  }
  await catalog.setSynonyms(actor, null, DEMO_SYNONYMS);

  const departments = new Map((await org.listDepartments()).map((d) => [d.name, d.id]));
  const halls = new Map((await org.listHalls()).map((h) => [h.name, h.id]));
  const itemCodes = new Map<string, string>();
  const ids = demoIds(halls, proofIds, intermediaryIds, itemCodes);
  const today = catalog.today();
  const effectiveFrom = DEMO_EFFECTIVE_FROM > today ? DEMO_EFFECTIVE_FROM : today;

  // Composite items (并联审批) name their components, which must be published first.
  const ordered = [...DEMO_ITEMS.filter((i) => !i.content.components), ...DEMO_ITEMS.filter((i) => i.content.components)];
  for (const item of ordered) {
    const departmentId = departments.get(item.department);
    if (!departmentId) throw new Error(`demo catalog: unknown department ${item.department}`);
    const content = resolveDemoContent(item.content, ids);
    const draft = await catalog.createItem(actor, null, { departmentId, exerciseLevel: item.exerciseLevel, basicCode: item.basicCode, content });
    const submitted = await catalog.submit(actor, null, draft.implementationCode, draft.version, { lockVersion: draft.lockVersion });
    await catalog.publish(actor, null, submitted.implementationCode, submitted.version, { effectiveFrom });
    itemCodes.set(item.basicCode, draft.implementationCode);
  }
}
