/**
 * The quality settings (ADR 0015): the rating period, the rectification and confirmation periods
 * and the ticket deadlines per kind. Defaults come from the environment (config `quality`); the
 * system administrator overrides any of them at run time, one row per overridden key in
 * `quality_settings`. The services read the settings whenever they compute a deadline, from the
 * database, so every instance applies a change at once without a restart or a cache to expire.
 */
import { recordAudit, type AuditActor } from '../../platform/audit/audit.js';
import { sql } from 'kysely';
import type { Db, Executor } from '../../platform/db/database.js';
import { flattenSettings, QUALITY_SETTING_KEYS, unflattenSettings, type QualitySettingKey, type QualitySettingsValues } from '../../shared/quality-codes.js';
import type { QualitySettingsInput, QualitySettingsView } from './schemas.js';

/** What the services that compute deadlines ask for. */
export interface QualitySettingsSource {
  current(): Promise<QualitySettingsValues>;
}

export class QualitySettingsService implements QualitySettingsSource {
  constructor(
    private readonly db: Db,
    private readonly defaults: QualitySettingsValues,
  ) {}

  private async overrides(executor: Executor = this.db): Promise<Array<{ key: QualitySettingKey; value: number; updated_at: Date; updated_by: string | null }>> {
    const rows = await executor.selectFrom('quality_settings').select(['key', 'value', 'updated_at', 'updated_by']).execute();
    // a key a later version dropped stays in the table harmlessly: only known keys are read
    return rows.filter((r): r is typeof r & { key: QualitySettingKey } => (QUALITY_SETTING_KEYS as string[]).includes(r.key));
  }

  async current(executor: Executor = this.db): Promise<QualitySettingsValues> {
    const flat = flattenSettings(this.defaults);
    for (const o of await this.overrides(executor)) flat[o.key] = o.value;
    return unflattenSettings(flat);
  }

  /** `GET /admin/quality-settings`: the values in force, the environment's defaults, and which keys are overridden. */
  async view(): Promise<QualitySettingsView> {
    const overrides = await this.overrides();
    const flat = flattenSettings(this.defaults);
    for (const o of overrides) flat[o.key] = o.value;
    const last = overrides.reduce<Date | null>((max, o) => (max === null || o.updated_at > max ? o.updated_at : max), null);
    return {
      ...unflattenSettings(flat),
      defaults: this.defaults,
      overridden: overrides.map((o) => o.key).sort(),
      updatedAt: last ? last.toISOString() : null,
    };
  }

  /**
   * `PUT /admin/quality-settings`: sets the values given and returns the keys named in `reset` to
   * their defaults, in one transaction with one audit entry listing every change (from, to). The
   * bounds are the schema's (400 with the field). A value equal to its default is still stored:
   * the administrator chose it, and a later change of the environment must not move it.
   */
  async update(actor: AuditActor, input: QualitySettingsInput): Promise<QualitySettingsView> {
    const given: Partial<Record<QualitySettingKey, number>> = {};
    for (const key of ['ratingPeriodDays', 'rectificationWorkdays', 'confirmationDays'] as const) {
      if (input[key] !== undefined) given[key] = input[key];
    }
    for (const [kind, value] of Object.entries(input.ticketDeadlines ?? {})) {
      if (value !== undefined) given[`ticketDeadlines.${kind}` as QualitySettingKey] = value;
    }
    const reset = (input.reset ?? []).filter((k) => given[k] === undefined);
    await this.db.transaction().execute(async (trx) => {
      // two administrators saving at once: one after the other, so each audit entry's "from" is what it replaced
      await sql`LOCK TABLE quality_settings IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
      const before = flattenSettings(await this.current(trx));
      for (const [key, value] of Object.entries(given) as Array<[QualitySettingKey, number]>) {
        await trx.insertInto('quality_settings').values({ key, value, updated_by: actor.id, updated_at: new Date() })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_by: actor.id, updated_at: new Date() })).execute();
      }
      if (reset.length > 0) await trx.deleteFrom('quality_settings').where('key', 'in', reset).execute();
      const defaults = flattenSettings(this.defaults);
      const after = { ...before, ...given, ...Object.fromEntries(reset.map((k) => [k, defaults[k]])) };
      const changes = Object.fromEntries(QUALITY_SETTING_KEYS.filter((k) => after[k] !== before[k]).map((k) => [k, { from: before[k], to: after[k] }]));
      await recordAudit(trx, actor, { action: 'evaluation.settings.updated', targetType: 'quality_settings', detail: { changes, set: Object.keys(given), reset } });
    });
    return this.view();
  }
}
