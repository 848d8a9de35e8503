import { ApiError, type FieldProblem } from '../../app/api';

/**
 * Splits the server's field errors on an application into the form's fields (`form.x`), the
 * materials (`materials[i]`, by the id of the i-th material sent) and the rest, for the caller
 * to show next to each.
 */
export function splitErrors(err: unknown, formKeys: readonly string[], materialIds: readonly string[]) {
  const form = new Map<string, string[]>();
  const materials: Record<string, string> = {};
  const rest: FieldProblem[] = [];
  if (err instanceof ApiError) {
    for (const p of err.errors) {
      const key = /^form\.([^.[\]]+)/.exec(p.field)?.[1];
      const index = /^materials\[(\d+)\]/.exec(p.field)?.[1];
      if (key && formKeys.includes(key)) form.set(key, [...(form.get(key) ?? []), p.message]);
      else if (index !== undefined && materialIds[Number(index)]) materials[materialIds[Number(index)]!] = p.message;
      else rest.push(p);
    }
  }
  return { form, materials, rest };
}
