import type { ItemContent, Material } from '../schemas.js';
import type { DemoItemContent } from './types.js';

/** Name/code → id lookups the seeder builds from the database; each throws on an unknown key. */
export interface DemoIds {
  hall(name: string): string;
  proof(code: string): string;
  intermediary(code: string): string;
  /** The implementation code of the demo item with this basic code (seeded before). */
  item(basicCode: string): string;
}

/** Maps from names/codes to ids, as `DemoIds` that fail loudly on anything unknown. */
export function demoIds(halls: Map<string, string>, proofs: Map<string, string>, intermediaries: Map<string, string>, items: Map<string, string> = new Map()): DemoIds {
  const get = (kind: string, map: Map<string, string>) => (key: string) => {
    const id = map.get(key);
    if (!id) throw new Error(`demo catalog: unknown ${kind} ${key}`);
    return id;
  };
  return { hall: get('hall', halls), proof: get('proof', proofs), intermediary: get('intermediary', intermediaries), item: get('item', items) };
}

/** Turns a demo item's content (names and list codes) into an `ItemContent` (ids). */
export function resolveDemoContent(content: DemoItemContent, ids: DemoIds): ItemContent {
  const { hallNames, intermediaryCodes, materials, components, ...rest } = content;
  const resolved: ItemContent = {
    ...rest,
    materials: materials.map(({ proofCode, ...m }): Material => (proofCode ? { ...m, proofId: ids.proof(proofCode) } : m)),
    hallIds: hallNames.map((name) => ids.hall(name)),
    intermediaryServiceIds: intermediaryCodes.map((code) => ids.intermediary(code)),
  };
  if (components) resolved.parallel = components.map((c) => ({ implementationCode: ids.item(c.basicCode), required: c.required }));
  return resolved;
}
