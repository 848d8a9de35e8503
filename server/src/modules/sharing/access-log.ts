/**
 * The data-sharing access log: append-only, one hash chain per resource, written in batches.
 *
 * Every gateway call (served, not found, refused or failed) becomes one entry. An entry's hash is
 * SM3(prev_hash "\n" canonical JSON of its columns), the same shape as the platform audit log (whose
 * canonicalJson this reuses), but:
 *
 * - **One chain per resource** (`chain` = resource id, entries numbered by `seq`), each with a head
 *   row (`sharing_log_heads`) holding its last number and hash. Appending locks the head row, so
 *   look-ups of different resources never wait for each other, across instances too.
 * - **Group commit**: look-ups waiting on one instance are written together, one statement per
 *   chain per batch (the head moves only if it is where this instance left it; else one locking
 *   transaction), instead of one transaction and one global lock per entry. A look-up's answer
 *   waits until its entry is committed: no data leaves without its log entry.
 * - The verifier compares each chain with its head, so cutting entries off the end is found too.
 */
import { canonicalJson } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/database.js';
import type { SharingAccessLogTable } from '../../platform/db/schema.js';
import { sm3Hex } from '../../platform/crypto/sm2.js';
import * as store from './store.js';

export interface AccessEntry {
  at: Date;
  requestId: string;
  kind: SharingAccessLogTable['kind'];
  /** Who called: `client:<id>` or a user id. */
  actor: string | null;
  consumerDepartmentId: string | null;
  resourceId: string;
  providerDepartmentId: string;
  subjectHash: string;
  subjectMasked: string;
  caseRef: string | null;
  purpose: string | null;
  consentId: string | null;
  grantId: string | null;
  outcome: SharingAccessLogTable['outcome'];
  /** Refusal or failure code (an error code of errors.ts); null when served. */
  reason: string | null;
  /** Items returned (served) or asked for (refused). */
  fields: string[];
  /** SM3 of the canonical JSON of the signed payload, so an answer can be matched to its entry. */
  responseDigest: string | null;
}

/** The hashed content of a row, with the column names of the table. */
export interface HashedRow {
  chain: string;
  seq: number;
  at: string;
  request_id: string;
  kind: AccessEntry['kind'];
  actor: string | null;
  consumer_department_id: string | null;
  resource_id: string;
  provider_department_id: string;
  subject_hash: string;
  subject_masked: string;
  case_ref: string | null;
  purpose: string | null;
  consent_id: string | null;
  grant_id: string | null;
  outcome: AccessEntry['outcome'];
  reason: string | null;
  fields: string[];
  response_digest: string | null;
}

/** Strings JSON.stringify writes as they are, between quotes; anything else goes through JSON.stringify. */
// eslint-disable-next-line no-control-regex -- control characters are precisely what JSON escapes
const PLAIN = /^[^"\\\u0000-\u001f\u2028\u2029\ud800-\udfff]*$/;
const j = (v: string | null): string => (v === null ? 'null' : PLAIN.test(v) ? `"${v}"` : JSON.stringify(v));

/**
 * canonicalJson(row) for this one fixed shape, written out with the keys already in sorted order:
 * the same string (a property test holds it to canonicalJson), without sorting keys or walking the
 * object for every one of a million rows when the log is verified.
 */
export function canonicalRow(r: HashedRow): string {
  return `{"actor":${j(r.actor)},"at":${j(r.at)},"case_ref":${j(r.case_ref)},"chain":${j(r.chain)},"consent_id":${j(r.consent_id)},`
    + `"consumer_department_id":${j(r.consumer_department_id)},"fields":${JSON.stringify(r.fields)},"grant_id":${j(r.grant_id)},"kind":${j(r.kind)},`
    + `"outcome":${j(r.outcome)},"provider_department_id":${j(r.provider_department_id)},"purpose":${j(r.purpose)},"reason":${j(r.reason)},`
    + `"request_id":${j(r.request_id)},"resource_id":${j(r.resource_id)},"response_digest":${j(r.response_digest)},"seq":${JSON.stringify(r.seq)},`
    + `"subject_hash":${j(r.subject_hash)},"subject_masked":${j(r.subject_masked)}}`;
}

/** SM3(prev_hash "\n" canonical JSON of the row's columns). */
export function entryHash(prevHash: string, row: HashedRow): string {
  return sm3Hex(`${prevHash}\n${canonicalRow(row)}`);
}

/** canonicalJson as the audit log defines it, for the property test that holds canonicalRow to it. */
export const canonicalReference = (row: HashedRow): string => canonicalJson(row);

function hashedRow(chain: string, seq: number, e: AccessEntry): HashedRow {
  return {
    chain,
    seq,
    at: e.at.toISOString(),
    request_id: e.requestId,
    kind: e.kind,
    actor: e.actor,
    consumer_department_id: e.consumerDepartmentId,
    resource_id: e.resourceId,
    provider_department_id: e.providerDepartmentId,
    subject_hash: e.subjectHash,
    subject_masked: e.subjectMasked,
    case_ref: e.caseRef,
    purpose: e.purpose,
    consent_id: e.consentId,
    grant_id: e.grantId,
    outcome: e.outcome,
    reason: e.reason,
    fields: e.fields,
    response_digest: e.responseDigest,
  };
}

interface Pending {
  entry: AccessEntry;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface AccessLogWriterOptions {
  /** Most entries one transaction writes. 1 means a transaction per entry (the benchmark's baseline). */
  maxBatch: number;
}

/**
 * Appends entries in batches: while one batch commits, the next one gathers. Each chain of a batch
 * is written on its own: in one statement when its head is where this instance last left it
 * (the common case: `store.appendIfHead` moves the head and inserts the rows atomically), else in a
 * transaction that locks the head row, reads it, inserts and moves it.
 */
export class AccessLogWriter {
  private queue: Pending[] = [];
  private draining = false;
  /** The last head this instance wrote, per chain: a guess, checked by the database on use. */
  private readonly heads = new Map<string, { seq: number; hash: string }>();

  constructor(
    private readonly db: Db,
    private readonly options: AccessLogWriterOptions = { maxBatch: 500 },
  ) {}

  /** Resolves once the entry is committed; rejects if it could not be written. */
  append(entry: AccessEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.options.maxBatch);
        const byChain = new Map<string, Pending[]>();
        for (const p of batch) {
          const list = byChain.get(p.entry.resourceId);
          if (list) list.push(p);
          else byChain.set(p.entry.resourceId, [p]);
        }
        // Chains are independent: one failing does not hold back the others.
        await Promise.all([...byChain].map(async ([chain, pending]) => {
          try {
            await this.writeChain(chain, pending.map((p) => p.entry));
            for (const p of pending) p.resolve();
          } catch (err) {
            this.heads.delete(chain);
            for (const p of pending) p.reject(err);
          }
        }));
      }
    } finally {
      this.draining = false;
    }
  }

  private rows(chain: string, head: { seq: number; hash: string }, entries: AccessEntry[]): store.NewLogRow[] {
    const rows: store.NewLogRow[] = [];
    let { seq, hash } = head;
    for (const e of entries) {
      const content = hashedRow(chain, seq + 1, e);
      const next = entryHash(hash, content);
      rows.push({ ...content, at: e.at, prev_hash: hash, hash: next });
      seq += 1;
      hash = next;
    }
    return rows;
  }

  private async writeChain(chain: string, entries: AccessEntry[]): Promise<void> {
    const known = this.heads.get(chain);
    if (known) {
      const rows = this.rows(chain, known, entries);
      if (await store.appendIfHead(this.db, chain, known, rows)) {
        const last = rows[rows.length - 1]!;
        this.heads.set(chain, { seq: last.seq, hash: last.hash });
        return;
      }
    }
    const head = await this.db.transaction().execute(async (tx) => {
      const current = await store.lockHead(tx, chain);
      const rows = this.rows(chain, current, entries);
      await store.insertLogRows(tx, rows);
      const last = rows[rows.length - 1]!;
      await store.setHead(tx, chain, last.seq, last.hash);
      return { seq: last.seq, hash: last.hash };
    });
    this.heads.set(chain, head);
  }
}

export interface AccessLogVerification {
  ok: boolean;
  checked: number;
  chains: number;
  /** The first entry (by id) that does not verify, when the log is broken. */
  firstBrokenId?: number;
  chain?: string;
  reason?: 'hash_mismatch' | 'link_mismatch' | 'seq_gap' | 'head_mismatch';
}

/**
 * Walks the whole log in id order, each chain's entries in turn (a chain's entries are numbered in
 * id order: its head lock is held while they get their ids), recomputing every hash. The heads are
 * read first: entries appended during the walk are checked by their links, and every head read
 * must be met, with the same hash, or the chain lost entries at its end.
 */
export async function verifyAccessLog(db: Db, batchSize = 10_000): Promise<AccessLogVerification> {
  const heads = new Map((await store.listHeads(db)).map((h) => [h.chain, { seq: Number(h.seq), hash: h.hash }]));
  const state = new Map<string, { seq: number; hash: string }>();
  let checked = 0;
  const broken = (id: number, chain: string, reason: AccessLogVerification['reason']): AccessLogVerification =>
    ({ ok: false, checked, chains: state.size, firstBrokenId: id, chain, reason });

  // The next batch is read while this one is hashed.
  let next = store.readLogBatchForVerify(db, 0, batchSize);
  for (;;) {
    const rows = await next;
    if (rows.length === 0) break;
    next = store.readLogBatchForVerify(db, rows[rows.length - 1]!.id, batchSize);
    for (const row of rows) {
      const previous = state.get(row.chain) ?? { seq: 0, hash: store.GENESIS_HASH };
      const seq = Number(row.seq);
      if (seq !== previous.seq + 1) return broken(row.id, row.chain, 'seq_gap');
      if (row.prev_hash !== previous.hash) return broken(row.id, row.chain, 'link_mismatch');
      // Entries are written with millisecond instants: microseconds mean the time was altered.
      if (!row.at_text.endsWith('000')) return broken(row.id, row.chain, 'hash_mismatch');
      const expected = entryHash(previous.hash, {
        chain: row.chain,
        seq,
        at: `${row.at_text.slice(0, 23)}Z`,
        request_id: row.request_id,
        kind: row.kind,
        actor: row.actor,
        consumer_department_id: row.consumer_department_id,
        resource_id: row.resource_id,
        provider_department_id: row.provider_department_id,
        subject_hash: row.subject_hash,
        subject_masked: row.subject_masked,
        case_ref: row.case_ref,
        purpose: row.purpose,
        consent_id: row.consent_id,
        grant_id: row.grant_id,
        outcome: row.outcome,
        reason: row.reason,
        fields: row.fields,
        response_digest: row.response_digest,
      });
      if (expected !== row.hash) return broken(row.id, row.chain, 'hash_mismatch');
      const head = heads.get(row.chain);
      if (head && head.seq === seq && head.hash !== row.hash) return broken(row.id, row.chain, 'head_mismatch');
      state.set(row.chain, { seq, hash: row.hash });
      checked++;
    }
  }
  for (const [chain, head] of heads) {
    if (head.seq === 0) continue;
    const reached = state.get(chain);
    if (!reached || reached.seq < head.seq) return { ok: false, checked, chains: state.size, chain, reason: 'head_mismatch' };
  }
  for (const chain of state.keys()) {
    if (!heads.has(chain)) {
      // A chain without a head read before the walk must have been started during it.
      const now = (await store.listHeads(db)).find((h) => h.chain === chain);
      if (!now) return { ok: false, checked, chains: state.size, chain, reason: 'head_mismatch' };
    }
  }
  return { ok: true, checked, chains: state.size };
}
