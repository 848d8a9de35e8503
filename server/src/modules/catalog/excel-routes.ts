import { Type } from 'typebox';
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/database.js';
import type { App } from '../../platform/http/types.js';
import { actorOf, staffOf } from '../../platform/http/request-context.js';
import { AppError, defineErrors, problemMessage } from '../../platform/http/errors.js';
import { closingOnRefusal, declaresTooMuch, readFilePart } from '../../platform/http/multipart.js';
import { requestLang } from '../../platform/http/problem.js';
import type { OrgService } from '../org/service.js';
import { ExchangeErrors, writeCatalogWorkbook } from './excel.js';
import { hasZipMagic } from './excel-zip.js';
import { CatalogImporter, type ImportReport } from './import.js';
import type { CatalogQueryService } from './query-service.js';
import type { CatalogService } from './service.js';

/*
 * The catalog as an Excel workbook: the public export of the published catalog
 * (GET /api/v1/catalog/export.xlsx) and the admin import of the same workbook
 * (POST /api/v1/admin/catalog/import), which validates every row and turns the valid ones into
 * drafts (see import.ts). Multipart parsing is registered here only, with explicit limits.
 */

const tags = ['catalog-admin'];
const publicTags = ['catalog'];
const editors = { roles: ['catalog_admin', 'system_admin'] } as const;

/** One .xlsx of at most this size per upload (a 5,000-item workbook is about 3 MiB). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/** The export is rebuilt when the catalog changes, and at least this often (halls and departments have no revision). */
const EXPORT_CACHE_MS = 60_000;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const UploadErrors = defineErrors({
  upload_not_multipart: {
    status: 415,
    zh: '请以 multipart/form-data 上传一个 .xlsx 文件',
    en: 'Upload one .xlsx file as multipart/form-data',
  },
  upload_missing: { status: 400, zh: '请求中没有文件，请上传一个 .xlsx 文件', en: 'The request holds no file; upload one .xlsx file' },
  upload_one_file: { status: 400, zh: '一次只能上传一个文件', en: 'Upload one file at a time' },
  upload_too_large: { status: 413, zh: '文件超过 {limit} 上限，请拆分后导入', en: 'The file exceeds {limit}; split it into several files' },
  upload_malformed: { status: 400, zh: '上传内容不完整或格式错误', en: 'The upload is incomplete or malformed' },
  import_refused: {
    status: 422,
    zh: '未导入：工作簿中有 {count} 处错误，请按报告逐行修改后重新导入（或选择仅导入正确的行）',
    en: 'Nothing was imported: the workbook has {count} errors. Fix them row by row (or import only the valid rows)',
  },
});

const ReportErrorSchema = Type.Object({
  sheet: Type.String({ description: '工作表' }),
  row: Type.Union([Type.Integer(), Type.Null()], { description: '行号（工作表级错误为 null）' }),
  column: Type.Union([Type.String(), Type.Null()], { description: '列（表头名称）' }),
  code: Type.String(),
  message: Type.String(),
});

const ReportFields = {
  mode: Type.Union([Type.Literal('all'), Type.Literal('partial')]),
  dryRun: Type.Boolean(),
  imported: Type.Boolean({ description: '是否写入了任何内容' }),
  created: Type.Integer({ description: '新建事项（草稿）数' }),
  updated: Type.Integer({ description: '为已有事项生成新草稿（或更新草稿）数' }),
  invalid: Type.Integer({ description: '有错误的行数' }),
  skipped: Type.Integer({ description: '未写入的正确行数（内容未变化，或因其他行有错误）' }),
  rows: Type.Array(
    Type.Object({
      sheet: Type.String(),
      row: Type.Integer(),
      implementationCode: Type.String(),
      status: Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('invalid'), Type.Literal('skipped')]),
      reason: Type.Optional(Type.Union([Type.Literal('unchanged'), Type.Literal('blocked')])),
      version: Type.Optional(Type.Integer()),
      errors: Type.Array(ReportErrorSchema),
    }),
  ),
  sheetErrors: Type.Array(ReportErrorSchema, { description: '工作表级错误（缺少工作表、表头不符）：存在时不导入任何内容' }),
  errorsTruncated: Type.Boolean(),
};

const ImportReportSchema = Type.Object(ReportFields, { description: '逐行校验报告' });
const ImportRefusedSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    errors: Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() })),
    ...ReportFields,
  },
  { description: 'RFC 9457 problem（import_refused），并附完整的逐行报告' },
);

const ImportQuery = Type.Object({
  mode: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('partial')], {
    default: 'all',
    description: 'all（默认）：任一行有错误则全部不导入（同一事务）；partial：仅导入正确的行',
  })),
  dryRun: Type.Optional(Type.Boolean({ default: false, description: 'true：只校验，不写入（默认 false）' })),
});

function tooLarge(): AppError {
  return UploadErrors.upload_too_large({ limit: `${MAX_UPLOAD_BYTES / 1024 / 1024} MiB` });
}

/** The uploaded workbook: exactly one file part, within the size limit. */
async function readUpload(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) throw UploadErrors.upload_not_multipart();
  if (declaresTooMuch(request, MAX_UPLOAD_BYTES)) throw tooLarge();
  let file: Buffer | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue; // form fields carry nothing we read
      if (file) throw UploadErrors.upload_one_file();
      file = await readFilePart(part, tooLarge);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    if (code === 'FST_FILES_LIMIT') throw UploadErrors.upload_one_file();
    throw UploadErrors.upload_malformed();
  }
  if (!file || file.length === 0) throw UploadErrors.upload_missing();
  // Sniff, never trust the name or the declared type: an .xlsx is a ZIP archive.
  if (!hasZipMagic(file)) throw ExchangeErrors.workbook_not_xlsx();
  return file;
}

export async function catalogExcelRoutes(
  app: App,
  { db, catalog, catalogQuery, org }: { db: Db; catalog: CatalogService; catalogQuery: CatalogQueryService; org: OrgService },
): Promise<void> {
  await app.register(multipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 100, fieldNameSize: 100 },
    throwFileSizeLimit: true,
  });
  const importer = new CatalogImporter(db, catalog, org);

  let cached: { key: string; at: number; file: Promise<{ body: Buffer; asOf: string }> } | null = null;
  async function exportWorkbook(): Promise<{ body: Buffer; asOf: string }> {
    const snapshot = await catalogQuery.current();
    const key = `${snapshot.revision}|${snapshot.today}`;
    if (cached && cached.key === key && Date.now() - cached.at < EXPORT_CACHE_MS) return cached.file;
    const file = (async () => {
      const data = await catalogQuery.exportJson();
      const body = await writeCatalogWorkbook(data.items, { departments: data.departments, halls: data.halls, proofs: data.proofs, intermediaries: data.intermediaries });
      return { body, asOf: data.asOf };
    })();
    cached = { key, at: Date.now(), file };
    file.catch(() => {
      if (cached?.file === file) cached = null;
    });
    return file;
  }

  app.get('/api/v1/catalog/export.xlsx', {
    config: { access: 'public' },
    schema: {
      tags: publicTags,
      summary: '导出全部现行已发布事项（Excel 工作簿，可修改后导入）',
      description: '工作表“事项”每事项一行，其余工作表按实施编码关联；“说明”工作表解释代码。',
      produces: [XLSX_TYPE],
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: XLSX_TYPE }) },
    },
  }, async (_request, reply) => {
    const { body, asOf } = await exportWorkbook();
    return reply
      .type(XLSX_TYPE)
      .header('content-disposition', `attachment; filename="tongban-catalog-${asOf}.xlsx"; filename*=UTF-8''${encodeURIComponent(`事项目录-${asOf}.xlsx`)}`)
      .header('cache-control', 'public, max-age=60')
      .send(body);
  });

  app.post('/api/v1/admin/catalog/import', {
    config: { access: editors },
    schema: {
      tags,
      summary: '导入事项目录工作簿（multipart，字段 file，一个 .xlsx），逐行校验；正确的行成为草稿，须另一人审核发布',
      consumes: ['multipart/form-data'],
      querystring: ImportQuery,
      response: { 200: ImportReportSchema, 422: ImportRefusedSchema },
    },
  }, async (request, reply) => {
    const principal = staffOf(request);
    const file = await closingOnRefusal(request, reply, () => readUpload(request));
    const lang = requestLang(request);
    const report = await importer.importWorkbook(actorOf(request), principal, file, { mode: request.query.mode ?? 'all', dryRun: request.query.dryRun ?? false, lang });
    if (report.dryRun || report.imported || (report.invalid === 0 && report.sheetErrors.length === 0)) return report;
    return reply.status(422).type('application/problem+json; charset=utf-8').send(refusal(report, lang));
  });
}

/** A refused import as problem+json, with the whole report beside the problem fields. */
function refusal(report: ImportReport, lang: 'zh' | 'en') {
  const flat = [...report.sheetErrors, ...report.rows.flatMap((r) => r.errors)];
  const count = flat.length;
  const title = problemMessage('import_refused', lang, { count });
  return {
    type: 'urn:tongban:problem:import_refused',
    title,
    status: 422,
    detail: flat.slice(0, 3).map((e) => e.message).join('; ') || title,
    code: 'import_refused',
    errors: flat.slice(0, 200).map((e) => ({ field: [e.sheet, e.row ?? '', e.column ?? ''].filter((p) => p !== '').join('!'), code: e.code, message: e.message })),
    ...report,
  };
}
