import { createHash } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { recordAudit, type AuditActor } from '../../platform/audit/audit.js';
import type { Principal } from '../../platform/auth/principal.js';
import { invalidInput, type FieldErrorSpec } from '../../platform/http/errors.js';
import { FileErrors, FileFieldCodes } from './errors.js';
import { sanitiseName } from './names.js';
import { ACCEPTED_LABELS, sniffMediaType, typeOf, type AcceptedMediaType } from './sniff.js';
import * as store from './store.js';

/** One uploaded file at most this large: a multi-page colour scan as PDF, well under what TOAST stores comfortably. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_FILE_LABEL = `${MAX_FILE_BYTES / 1024 / 1024} MiB`;

export interface FileMeta {
  fileId: string;
  ownerId: string;
  /** Sanitised original name, ending in an extension of the sniffed type (see names.ts). */
  name: string;
  mediaType: AcceptedMediaType;
  size: number;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  createdAt: Date;
}

export interface StoredFile {
  meta: FileMeta;
  content: Buffer;
}

/**
 * EXTENSION POINT for modules that hand someone else's upload to a reader: the case module admits
 * staff in scope of a case that references the file. The owner can always read their own file;
 * a principal no registered policy admits is told the file does not exist.
 */
export interface FileAccessPolicy {
  canRead(principal: Principal, fileId: string): Promise<boolean>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type MetaRow = Awaited<ReturnType<typeof store.findMeta>>[number];

function toMeta(row: MetaRow): FileMeta {
  return {
    fileId: row.id,
    ownerId: row.owner_id,
    name: row.original_name,
    mediaType: row.media_type as AcceptedMediaType,
    size: row.size,
    sha256: row.sha256,
    createdAt: row.created_at,
  };
}

/** The sniffed type of content the platform keeps; 413 over the size limit, 415 for any other content. */
export function acceptedTypeOf(content: Buffer): AcceptedMediaType {
  if (content.length > MAX_FILE_BYTES) throw FileErrors.file_too_large({ limit: MAX_FILE_LABEL });
  const mediaType = sniffMediaType(content);
  if (!mediaType) throw FileErrors.unsupported_file_type({ accepted: ACCEPTED_LABELS });
  return mediaType;
}

export class FilesService {
  private readonly policies: FileAccessPolicy[] = [];

  constructor(private readonly db: Db) {}

  registerAccessPolicy(policy: FileAccessPolicy): void {
    this.policies.push(policy);
  }

  /**
   * Keeps a file for `ownerId` after sniffing its type from the bytes: anything but PDF, JPEG,
   * PNG or OFD is refused (415), whatever its name says.
   */
  async upload(actor: AuditActor, ownerId: string, input: { content: Buffer; name?: string | undefined }): Promise<FileMeta> {
    const { content } = input;
    const mediaType = acceptedTypeOf(content);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const name = sanitiseName(input.name, typeOf(mediaType)!);
    return this.db.transaction().execute(async (tx) => {
      const row = await store.insertFile(tx, { owner_id: ownerId, media_type: mediaType, size: content.length, sha256, original_name: name, content });
      // The name stays out of the audit log: applicants name scans after themselves ("张三身份证.jpg").
      await recordAudit(tx, actor, { action: 'files.file.uploaded', targetType: 'file', targetId: row.id, detail: { mediaType, size: content.length, sha256 } });
      return toMeta(row);
    });
  }

  /** Metadata of the files that exist among `fileIds`, in the order asked, each once; no content. */
  async describe(fileIds: readonly string[]): Promise<FileMeta[]> {
    const ids = [...new Set(fileIds.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))];
    const byId = new Map((await store.findMeta(this.db, ids)).map((row) => [row.id, toMeta(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * The files' metadata when every one of them was uploaded by `userId`; otherwise a validation
   * problem naming each bad id under `fieldOf(index)`, one message whether the file is missing or
   * someone else's, so an applicant can neither attach nor probe another person's upload.
   */
  async assertOwnedBy(fileIds: readonly string[], userId: string, fieldOf: (index: number) => string = (i) => `fileIds[${i}]`): Promise<FileMeta[]> {
    const owned = new Map((await this.describe(fileIds)).filter((m) => m.ownerId === userId).map((m) => [m.fileId, m]));
    const errors: FieldErrorSpec[] = [];
    const metas: FileMeta[] = [];
    fileIds.forEach((id, index) => {
      const meta = owned.get(id.toLowerCase());
      if (meta) metas.push(meta);
      else errors.push({ field: fieldOf(index), code: FileFieldCodes.file_unknown, params: { fileId: id.slice(0, 64) } });
    });
    if (errors.length > 0) throw invalidInput(errors);
    return metas;
  }

  /** A file and its bytes, for modules that work with them; file_not_found when there is none. */
  async read(fileId: string): Promise<StoredFile> {
    const [meta] = await this.describe([fileId]);
    const content = meta ? await store.findContent(this.db, meta.fileId) : undefined;
    if (!meta || !content) throw FileErrors.file_not_found();
    return { meta, content };
  }

  /** Whether the principal may read the file: its owner, or anyone a registered policy admits. */
  async canRead(principal: Principal, fileId: string): Promise<boolean> {
    const [meta] = await this.describe([fileId]);
    return meta !== undefined && (await this.admits(principal, meta));
  }

  /** The metadata for a principal who may read the file; to anyone else the file does not exist. */
  async metaFor(principal: Principal, fileId: string): Promise<FileMeta> {
    const [meta] = await this.describe([fileId]);
    if (!meta || !(await this.admits(principal, meta))) throw FileErrors.file_not_found();
    return meta;
  }

  /**
   * The bytes of a file `metaFor` admitted the principal to. Someone other than the owner reading
   * an upload (staff opening an applicant's ID scan) is recorded in the audit log first.
   */
  async contentFor(actor: AuditActor, principal: Principal, meta: FileMeta): Promise<Buffer> {
    if (!isOwner(principal, meta)) {
      await recordAudit(this.db, actor, { action: 'files.file.read', targetType: 'file', targetId: meta.fileId, detail: { ownerId: meta.ownerId } });
    }
    const content = await store.findContent(this.db, meta.fileId);
    if (!content) throw FileErrors.file_not_found();
    return content;
  }

  private async admits(principal: Principal, meta: FileMeta): Promise<boolean> {
    if (isOwner(principal, meta)) return true;
    for (const policy of this.policies) {
      if (await policy.canRead(principal, meta.fileId)) return true;
    }
    return false;
  }
}

function isOwner(principal: Principal, meta: FileMeta): boolean {
  return principal.kind !== 'client' && principal.userId === meta.ownerId;
}
