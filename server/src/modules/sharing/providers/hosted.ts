import type { Db } from '../../../platform/db/database.js';
import * as store from '../store.js';
import type { DataProvider, ProviderCall } from './types.js';

/** Serves a resource from the platform's own tables: the datasets its provider uploads. */
export class HostedProvider implements DataProvider {
  constructor(private readonly db: Db) {}

  async fetch(call: ProviderCall): Promise<Record<string, unknown> | null> {
    return (await store.findRecord(this.db, call.resource.id, call.subject)) ?? null;
  }
}
