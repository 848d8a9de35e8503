import type { DiffChange } from './schemas.js';

/*
 * A structural diff of two JSON values, by path: objects key by key, arrays index by index, so a
 * reviewer reads `materials[2].name: 营业执照 → 营业执照副本`. An element appended to or removed
 * from the end of an array is one `added` / `removed` change holding the whole element.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function childPath(parent: string, key: string): string {
  if (IDENTIFIER.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function diffJson(before: unknown, after: unknown, path = ''): DiffChange[] {
  const changes: DiffChange[] = [];
  walk(before, after, path, changes);
  return changes;
}

function walk(before: unknown, after: unknown, path: string, out: DiffChange[]): void {
  if (Array.isArray(before) && Array.isArray(after)) {
    const shared = Math.min(before.length, after.length);
    for (let i = 0; i < shared; i++) walk(before[i], after[i], `${path}[${i}]`, out);
    for (let i = shared; i < before.length; i++) out.push({ path: `${path}[${i}]`, kind: 'removed', before: before[i] });
    for (let i = shared; i < after.length; i++) out.push({ path: `${path}[${i}]`, kind: 'added', after: after[i] });
    return;
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const key of keys) {
      const p = childPath(path, key);
      const inBefore = Object.hasOwn(before, key) && before[key] !== undefined;
      const inAfter = Object.hasOwn(after, key) && after[key] !== undefined;
      if (inBefore && inAfter) walk(before[key], after[key], p, out);
      else if (inBefore) out.push({ path: p, kind: 'removed', before: before[key] });
      else if (inAfter) out.push({ path: p, kind: 'added', after: after[key] });
    }
    return;
  }
  // scalars, or different shapes (object vs array vs scalar): a change of the whole value
  if (before !== after) out.push({ path: path || '$', kind: 'changed', before, after });
}
