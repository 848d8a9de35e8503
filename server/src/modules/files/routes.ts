import { createHash } from 'node:crypto';
import { Type } from 'typebox';
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { ApplicantPrincipal, StaffPrincipal } from '../../platform/auth/principal.js';
import { AppError, CommonErrors } from '../../platform/http/errors.js';
import { declaresTooMuch, readFilePart } from '../../platform/http/multipart.js';
import { actorOf } from '../../platform/http/request-context.js';
import type { App } from '../../platform/http/types.js';
import { FileErrors } from './errors.js';
import { attachmentDisposition } from './names.js';
import { FileIdParam, FileMetaSchema, UploadForm, type FileMetaBody } from './schemas.js';
import { acceptedTypeOf, MAX_FILE_BYTES, MAX_FILE_LABEL, type FileMeta, type FilesService } from './service.js';
import { ACCEPTED_TYPES } from './sniff.js';

/*
 * Uploaded application materials: POST /api/v1/files (one file, multipart), then the bytes and the
 * metadata for the owner and whoever a registered FileAccessPolicy admits. Multipart parsing is
 * registered in this plugin only, with its own limits.
 */

const tags = ['files'];

interface Upload {
  content: Buffer;
  sha256: string;
  name: string | undefined;
}

type SignedIn = ApplicantPrincipal | StaffPrincipal;

function signedInOf(request: FastifyRequest): SignedIn {
  const p = request.principal;
  if (!p || p.kind === 'client') throw CommonErrors.forbidden();
  return p;
}

function tooLarge(): AppError {
  return FileErrors.file_too_large({ limit: MAX_FILE_LABEL });
}

/** The one file part, hashed as it streams in. */
async function readPart(part: MultipartFile): Promise<Upload> {
  const hash = createHash('sha256');
  const content = await readFilePart(part, tooLarge, (chunk) => hash.update(chunk));
  return { content, sha256: hash.digest('hex'), name: part.filename };
}

async function readUpload(request: FastifyRequest): Promise<Upload> {
  if (!request.isMultipart()) throw FileErrors.file_not_multipart();
  if (declaresTooMuch(request, MAX_FILE_BYTES)) throw tooLarge();
  let upload: Upload | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue; // form fields carry nothing we read
      upload = await readPart(part);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    if (code === 'FST_FILES_LIMIT') throw FileErrors.file_too_many();
    throw FileErrors.file_malformed();
  }
  if (!upload) throw FileErrors.file_missing();
  acceptedTypeOf(upload.content); // 415 now, before the idempotency hook claims a key (see the route)
  return upload;
}

function metaBody(meta: FileMeta): FileMetaBody {
  return { fileId: meta.fileId, name: meta.name, mediaType: meta.mediaType, size: meta.size, sha256: meta.sha256, createdAt: meta.createdAt.toISOString() };
}

/** If-None-Match (RFC 9110 §13.1.2): a list of entity tags, weak ones compared weakly, or "*". */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

export async function filesRoutes(app: App, { files }: { files: FilesService }): Promise<void> {
  await app.register(multipart, {
    limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 100, fieldNameSize: 100 },
    throwFileSizeLimit: true,
  });

  const uploads = new WeakMap<FastifyRequest, Upload>();

  app.post('/api/v1/files', {
    config: { access: 'signed_in', idempotent: true },
    schema: {
      tags,
      summary: '上传一个申请材料文件（multipart，字段 file）',
      description:
        `申请人和工作人员（如窗口代为扫描）均可上传。类型按内容识别：PDF、JPEG、PNG、OFD；其他（含改了扩展名的文件、空文件）答复 415 unsupported_file_type。单个文件不超过 ${MAX_FILE_LABEL}（超过答复 413）。` +
        '支持 Idempotency-Key：同一键、同一文件（内容与文件名相同）重放首次答复。',
      consumes: ['multipart/form-data'],
      body: { content: { 'multipart/form-data': { schema: UploadForm } } },
      response: { 201: FileMetaSchema },
    },
    // The body is read here, before the platform's idempotency hook (a preHandler) hashes
    // request.body: a multipart stream is not there to hash, so the hook is given the file's
    // digest, size and name instead. The same key with the same file replays the first answer;
    // with another file it is refused. Reading and sniffing first also keep a refused upload
    // (too large, malformed, not an accepted type) from claiming the key: the client may fix the
    // file and retry under the same key.
    preValidation: async (request, reply) => {
      let upload: Upload;
      try {
        upload = await readUpload(request);
      } catch (error) {
        // The rest of a refused body is not worth reading: close the connection after the answer
        // (RFC 9110 §15.5.14) rather than leave a half-read request on a paused socket.
        if (!request.raw.readableEnded) reply.header('connection', 'close');
        throw error;
      }
      uploads.set(request, upload);
      (request as { body: unknown }).body = { file: { sha256: upload.sha256, size: upload.content.length, name: upload.name ?? null } };
    },
    // readUpload above is the body's validation; the schema only describes the form for OpenAPI.
    validatorCompiler: () => () => true,
  }, async (request, reply) => {
    const upload = uploads.get(request)!; // preValidation set it or threw
    const meta = await files.upload(actorOf(request), signedInOf(request).userId, { content: upload.content, name: upload.name });
    return reply.status(201).send(metaBody(meta));
  });

  app.get('/api/v1/files/:fileId', {
    config: { access: 'signed_in' },
    schema: {
      tags,
      summary: '下载文件内容（上传人本人，或办理引用该文件的办件的工作人员）',
      description: '其他人一律答复 404（不透露文件是否存在）。ETag 为内容的 SHA-256，支持 If-None-Match。',
      params: FileIdParam,
      response: {
        // per media type, so that the problem answers stay application/problem+json in the document
        200: {
          description: '文件内容，Content-Type 为识别出的类型',
          content: Object.fromEntries(ACCEPTED_TYPES.map((t) => [t.mediaType, { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) }])),
        },
        304: Type.Null({ description: 'If-None-Match 与 ETag 相符' }),
      },
    },
  }, async (request, reply) => {
    const principal = signedInOf(request);
    const meta = await files.metaFor(principal, request.params.fileId);
    const etag = `"${meta.sha256}"`;
    reply.header('etag', etag).header('cache-control', 'private, no-cache').header('x-content-type-options', 'nosniff');
    if (etagMatches(request.headers['if-none-match'], etag)) return reply.status(304).send(null);
    const content = await files.contentFor(actorOf(request), principal, meta);
    return reply
      .type(meta.mediaType)
      .header('content-disposition', attachmentDisposition(meta.name))
      // Never rendered as a page of ours, even if opened directly and a browser ignored the above.
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(content);
  });

  app.get('/api/v1/files/:fileId/meta', {
    config: { access: 'signed_in' },
    schema: {
      tags,
      summary: '文件元数据（与下载的可见范围相同）',
      params: FileIdParam,
      response: { 200: FileMetaSchema },
    },
  }, async (request) => metaBody(await files.metaFor(signedInOf(request), request.params.fileId)));
}
