/**
 * Uploaded files through the HTTP API on the demo city: the accepted types and everything
 * disguised as them, the size limit, who may read a file (its owner, and whoever a registered
 * FileAccessPolicy admits; everyone else is told it does not exist), Idempotency-Key on a
 * multipart upload, and the service other modules call.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestPlatform, login, loginAll, type Session, type TestPlatform } from '../../../test/harness.js';
import { multipartFiles, pdfOfSize, sampleJpeg, sampleOfd, samplePdf, samplePng, zipOf, sendEndlessUpload } from '../../../test/file-samples.js';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/http/errors.js';
import { MAX_FILE_BYTES, type FileMeta } from './service.js';

let platform: TestPlatform;
let person: Session;
let enterprise: Session;
let clerk: Session;
let approver: Session;

beforeAll(async () => {
  platform = await createTestPlatform();
  ({ person, enterprise, clerk, approver } = await loginAll(platform.app, ['person', 'enterprise', 'clerk', 'approver']));
});
afterAll(() => platform.close());

interface Uploaded {
  fileId: string;
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
  createdAt: string;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function upload(session: Session | null, files: Array<{ filename: string; data: Buffer; type?: string }>, headers: Record<string, string> = {}, fields: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const body = multipartFiles(files, fields);
  return as(platform.app, session, { method: 'POST', url: '/api/v1/files', payload: body.payload, headers: { ...body.headers, ...headers } });
}

async function uploaded(session: Session, filename: string, data: Buffer): Promise<Uploaded> {
  const res = await upload(session, [{ filename, data }]);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Uploaded;
}

const get = (session: Session | null, url: string, options: Partial<InjectOptions> = {}) => as(platform.app, session, { method: 'GET', url, ...options });

function problem(res: LightMyRequestResponse): { code: string; title: string; status: number; errors?: Array<{ field: string; code: string; message: string }> } {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.json();
}

describe('uploading', () => {
  it('accepts each type by its content and keeps the bytes, their SHA-256 and the name', async () => {
    const samples: Array<[string, Buffer, string]> = [
      ['营业执照.pdf', samplePdf(), 'application/pdf'],
      ['身份证正面.jpg', sampleJpeg(), 'image/jpeg'],
      ['现场照片.png', samplePng(), 'image/png'],
      ['电子发票.ofd', sampleOfd(), 'application/ofd'],
    ];
    for (const [filename, data, mediaType] of samples) {
      // the declared Content-Type is ignored: every part says octet-stream
      const res = await upload(person, [{ filename, data, type: 'application/octet-stream' }]);
      expect(res.statusCode, `${filename}: ${res.body}`).toBe(201);
      const body = res.json() as Uploaded;
      expect(body).toEqual({ fileId: expect.stringMatching(/^[0-9a-f-]{36}$/), name: filename, mediaType, size: data.length, sha256: sha256(data), createdAt: expect.any(String) });

      const download = await get(person, `/api/v1/files/${body.fileId}`);
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(data), filename).toBe(true);
      expect(download.headers['content-type']).toBe(mediaType);
      expect(download.headers['x-content-type-options']).toBe('nosniff');
      expect(download.headers.etag).toBe(`"${sha256(data)}"`);
      expect(download.headers['content-disposition']).toBe(`attachment; filename="${filename.replace(/[^\x20-\x7e]/gu, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
    }
  });

  it('names the file after the sniffed type and keeps only the base name', async () => {
    const cases: Array<[string, Buffer, string]> = [
      ['../../申请表.pdf', samplePdf(), '申请表.pdf'],
      ['report.html', samplePdf(), 'report.html.pdf'],
      ['photo.png', sampleJpeg(), 'photo.png.jpg'],
      [`${'长'.repeat(250)}.pdf`, samplePdf(), `${'长'.repeat(196)}.pdf`],
    ];
    for (const [filename, data, expected] of cases) {
      expect((await uploaded(person, filename, data)).name, filename).toBe(expected);
    }
  });

  it('takes a staff member\'s upload too (a clerk scanning a walk-in applicant\'s papers)', async () => {
    const file = await uploaded(clerk, '窗口扫描件.pdf', samplePdf('walk-in'));
    expect((await get(clerk, `/api/v1/files/${file.fileId}/meta`)).json()).toEqual(file);
  });

  it('accepts a file of exactly the limit', async () => {
    const data = pdfOfSize(MAX_FILE_BYTES);
    const file = await uploaded(person, 'big.pdf', data);
    expect(file).toMatchObject({ size: MAX_FILE_BYTES, sha256: sha256(data) });
  });

  it('records the upload in the audit log without the name', async () => {
    const file = await uploaded(person, '张三身份证.jpg', sampleJpeg());
    const rows = await platform.database.db.selectFrom('audit_log').selectAll().where('target_id', '=', file.fileId).execute();
    expect(rows).toEqual([expect.objectContaining({ action: 'files.file.uploaded', actor_id: person.user.id, actor_kind: 'applicant', target_type: 'file', detail: { mediaType: 'image/jpeg', size: file.size, sha256: file.sha256 } })]);
    expect(JSON.stringify(rows)).not.toContain('张三');
  });
});

describe('refusing uploads', () => {
  const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(120), Buffer.from('This program cannot be run in DOS mode.')]);

  it('refuses anything that is not PDF, JPEG, PNG or OFD, whatever its name and declared type', async () => {
    const disguised: Array<[string, string, Buffer, string]> = [
      ['an .exe renamed .pdf', 'invoice.pdf', exe, 'application/pdf'],
      ['a zip without OFD.xml named .ofd', 'document.ofd', zipOf([['Doc_0/Document.xml', '<x/>'], ['readme.txt', 'OFD.xml']]), 'application/ofd'],
      ['text named .png', 'scan.png', Buffer.from('这不是图片'), 'image/png'],
      ['HTML named .png', 'x.png', Buffer.from('<html><script>alert(document.cookie)</script></html>'), 'image/png'],
      ['an empty file', 'empty.pdf', Buffer.alloc(0), 'application/pdf'],
    ];
    const before = await platform.database.db.selectFrom('files').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const [label, filename, data, type] of disguised) {
      const res = await upload(person, [{ filename, data, type }]);
      expect(res.statusCode, label).toBe(415);
      const body = problem(res);
      expect(body.code, label).toBe('unsupported_file_type');
      expect(body.title).toBe('不支持该文件类型：仅接受 PDF、JPEG、PNG、OFD 文件（按文件内容识别，与文件名无关）');
    }
    const after = await platform.database.db.selectFrom('files').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('answers in English when asked', async () => {
    const res = await upload(person, [{ filename: 'invoice.pdf', data: exe }], { 'accept-language': 'en' });
    expect(problem(res)).toMatchObject({
      status: 415,
      code: 'unsupported_file_type',
      title: 'Unsupported file type: only PDF, JPEG, PNG, OFD files are accepted (recognised by their content, not their name)',
    });
    const large = await upload(person, [{ filename: 'big.pdf', data: pdfOfSize(MAX_FILE_BYTES + 1) }], { 'accept-language': 'en' });
    expect(problem(large)).toMatchObject({ status: 413, code: 'file_too_large', title: 'The file exceeds the 20 MiB limit; compress or split it and upload again' });
    const none = await upload(person, [], { 'accept-language': 'en' }, { note: 'x' });
    expect(problem(none)).toMatchObject({ status: 400, code: 'file_missing', title: 'The request holds no file; choose one file to upload' });
  });

  it('refuses a file over the limit (413), one byte over or announced far over', async () => {
    const oneOver = await upload(person, [{ filename: 'big.pdf', data: pdfOfSize(MAX_FILE_BYTES + 1) }]);
    expect(oneOver.statusCode).toBe(413);
    expect(problem(oneOver)).toMatchObject({ code: 'file_too_large', title: '文件超过 20 MiB 上限，请压缩或拆分后重新上传' });
    // refused on its Content-Length, before the body is read
    const farOver = await upload(person, [{ filename: 'huge.pdf', data: pdfOfSize(MAX_FILE_BYTES + 1024 * 1024) }]);
    expect([farOver.statusCode, problem(farOver).code]).toEqual([413, 'file_too_large']);
  });

  it('stops reading a chunked upload without a length at the limit', async () => {
    // over a real socket: inject hands the handler a body it has already read
    await platform.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = platform.app.server.address() as AddressInfo;
    const { outcome, sent, chunkSize } = await sendEndlessUpload({
      port,
      path: '/api/v1/files',
      headers: { cookie: person.cookie, 'x-csrf-token': person.csrf },
      filename: 'endless.pdf',
      firstBytes: Buffer.from('%PDF-1.7\n'),
    });
    expect(sent).toBeLessThan(MAX_FILE_BYTES + 8 * chunkSize);
    // The 413 arrives, unless the server's closing the socket races a chunk still in flight: then
    // the client only sees the connection reset.
    if ('status' in outcome) expect([outcome.status, (JSON.parse(outcome.body) as { code: string }).code]).toEqual([413, 'file_too_large']);
    else expect(['EPIPE', 'ECONNRESET']).toContain(outcome.reset);
  });

  it('refuses a request that is not one file as multipart/form-data', async () => {
    const cases: Array<[string, Promise<LightMyRequestResponse>, number, string]> = [
      ['no file part', upload(person, [], {}, { file: 'not a file' }), 400, 'file_missing'],
      ['an empty form', upload(person, []), 400, 'file_missing'],
      ['two files', upload(person, [{ filename: 'a.pdf', data: samplePdf() }, { filename: 'b.pdf', data: samplePdf() }]), 400, 'file_too_many'],
      ['a JSON body', as(platform.app, person, { method: 'POST', url: '/api/v1/files', payload: { file: samplePdf().toString('base64') } }), 415, 'file_not_multipart'],
      ['a cut-off body', as(platform.app, person, { method: 'POST', url: '/api/v1/files', ...(() => {
        const body = multipartFiles([{ filename: 'a.pdf', data: samplePdf() }]);
        return { payload: body.payload.subarray(0, body.payload.length - 30), headers: body.headers };
      })() }), 400, 'file_malformed'],
    ];
    for (const [label, pending, status, code] of cases) {
      const res = await pending;
      expect([res.statusCode, problem(res).code], label).toEqual([status, code]);
    }
  });

  it('asks for a session (401), and refuses channel clients (403)', async () => {
    const res = await upload(null, [{ filename: 'a.pdf', data: samplePdf() }]);
    expect([res.statusCode, problem(res).code]).toEqual([401, 'unauthenticated']);
    const file = await uploaded(person, 'a.pdf', samplePdf());
    for (const url of [`/api/v1/files/${file.fileId}`, `/api/v1/files/${file.fileId}/meta`]) {
      const anonymous = await get(null, url);
      expect([anonymous.statusCode, problem(anonymous).code], url).toEqual([401, 'unauthenticated']);
    }

    const admin = await login(platform.app, 'admin');
    const issued = await as(platform.app, admin, { method: 'POST', url: '/api/v1/admin/api-clients', payload: { name: '渠道', scopes: ['catalog:read'] } });
    const bearer = { authorization: `Bearer ${(issued.json() as { token: string }).token}` };
    const client = await upload(null, [{ filename: 'a.pdf', data: samplePdf() }], bearer);
    expect([client.statusCode, problem(client).code]).toEqual([403, 'forbidden']);
    const read = await get(null, `/api/v1/files/${file.fileId}`, { headers: bearer });
    expect([read.statusCode, problem(read).code]).toEqual([403, 'forbidden']);
  });
});

describe('reading', () => {
  let file: Uploaded;
  let data: Buffer;
  beforeAll(async () => {
    data = samplePdf('personal');
    file = await uploaded(person, '户口簿.pdf', data);
  });

  it('gives the owner the bytes and the metadata', async () => {
    const meta = await get(person, `/api/v1/files/${file.fileId}/meta`);
    expect(meta.statusCode).toBe(200);
    expect(meta.json()).toEqual(file);
    const head = await as(platform.app, person, { method: 'HEAD', url: `/api/v1/files/${file.fileId}` });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toBe('application/pdf');
  });

  it('answers 304 to a conditional request with the same ETag', async () => {
    const res = await get(person, `/api/v1/files/${file.fileId}`, { headers: { 'if-none-match': `W/"0000", "${file.sha256}"` } });
    expect(res.statusCode).toBe(304);
    expect(res.rawPayload.length).toBe(0);
    expect(res.headers.etag).toBe(`"${file.sha256}"`);
    expect((await get(person, `/api/v1/files/${file.fileId}`, { headers: { 'if-none-match': '"other"' } })).statusCode).toBe(200);
  });

  it('tells another applicant and staff without a policy that the file does not exist (404, as for a missing one)', async () => {
    const missing = await get(enterprise, '/api/v1/files/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    for (const [label, session] of [['another applicant', enterprise], ['a clerk', clerk], ['an approver', approver]] as const) {
      for (const url of [`/api/v1/files/${file.fileId}`, `/api/v1/files/${file.fileId}/meta`]) {
        const res = await get(session, url);
        expect(res.statusCode, `${label} ${url}`).toBe(404);
        expect(res.body, `${label} ${url}`).toBe(missing.body);
      }
    }
  });

  it('refuses an id that is not a UUID with a field error', async () => {
    const res = await get(person, '/api/v1/files/not-a-uuid');
    expect(res.statusCode).toBe(400);
    expect(problem(res).errors).toEqual([expect.objectContaining({ field: 'fileId', code: 'invalid_format' })]);
  });

  it('lets a registered policy admit staff, and records their reading', async () => {
    const admitted = await uploaded(person, '结婚证.jpg', sampleJpeg());
    const asked: string[] = [];
    platform.services.files.registerAccessPolicy({
      async canRead(principal, fileId) {
        asked.push(fileId);
        return principal.kind === 'staff' && principal.roles.includes('window_clerk') && fileId === admitted.fileId;
      },
    });
    const res = await get(clerk, `/api/v1/files/${admitted.fileId}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.rawPayload.equals(sampleJpeg())).toBe(true);
    expect((await get(clerk, `/api/v1/files/${admitted.fileId}/meta`)).json()).toEqual(admitted);
    expect(asked).toContain(admitted.fileId);

    // the policy admits only what it says: not the approver, not the clerk to other files
    expect((await get(approver, `/api/v1/files/${admitted.fileId}`)).statusCode).toBe(404);
    expect((await get(clerk, `/api/v1/files/${file.fileId}`)).statusCode).toBe(404);
    expect((await get(enterprise, `/api/v1/files/${admitted.fileId}`)).statusCode).toBe(404);

    const reads = await platform.database.db.selectFrom('audit_log').selectAll().where('target_id', '=', admitted.fileId).where('action', '=', 'files.file.read').execute();
    expect(reads).toEqual([expect.objectContaining({ actor_id: clerk.user.id, actor_kind: 'staff', detail: { ownerId: person.user.id } })]);
    // the owner reading their own file is not worth an entry
    await get(person, `/api/v1/files/${admitted.fileId}`);
    const after = await platform.database.db.selectFrom('audit_log').select('id').where('target_id', '=', admitted.fileId).where('action', '=', 'files.file.read').execute();
    expect(after).toHaveLength(1);
  });
});

describe('Idempotency-Key on an upload', () => {
  it('replays the first answer for the same file and refuses another file under the same key', async () => {
    const data = samplePdf('idempotent');
    const first = await upload(person, [{ filename: '申请书.pdf', data }], { 'idempotency-key': 'files-1' });
    expect(first.statusCode).toBe(201);
    const again = await upload(person, [{ filename: '申请书.pdf', data }], { 'idempotency-key': 'files-1' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const rows = await platform.database.db.selectFrom('files').select('id').where('sha256', '=', sha256(data)).execute();
    expect(rows).toHaveLength(1);

    const other = await upload(person, [{ filename: '申请书.pdf', data: samplePdf('another') }], { 'idempotency-key': 'files-1' });
    expect([other.statusCode, problem(other).code]).toEqual([422, 'idempotency_key_reused']);
    const renamed = await upload(person, [{ filename: '另一个名字.pdf', data }], { 'idempotency-key': 'files-1' });
    expect([renamed.statusCode, problem(renamed).code]).toEqual([422, 'idempotency_key_reused']);
    // another person's key is their own
    expect((await upload(enterprise, [{ filename: '申请书.pdf', data }], { 'idempotency-key': 'files-1' })).statusCode).toBe(201);
  });

  it('keeps one file when the same upload is retried concurrently', async () => {
    const data = samplePdf('concurrent');
    const answers = await Promise.all(Array.from({ length: 4 }, () => upload(person, [{ filename: 'c.pdf', data }], { 'idempotency-key': 'files-concurrent' })));
    const created = answers.filter((r) => r.statusCode === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const res of answers.filter((r) => r.statusCode !== 201)) expect([res.statusCode, problem(res).code]).toEqual([409, 'idempotency_in_progress']);
    expect(new Set(created.map((r) => (r.json() as Uploaded).fileId)).size).toBe(1);
    const rows = await platform.database.db.selectFrom('files').select('id').where('sha256', '=', sha256(data)).execute();
    expect(rows).toHaveLength(1);
  });

  it('does not spend the key on a refused upload', async () => {
    const refused = await upload(person, [{ filename: 'x.pdf', data: Buffer.from('nope') }], { 'idempotency-key': 'files-refused' });
    expect(refused.statusCode).toBe(415);
    const retried = await upload(person, [{ filename: 'x.pdf', data: samplePdf('fixed') }], { 'idempotency-key': 'files-refused' });
    expect(retried.statusCode).toBe(201);
  });
});

describe('FilesService for other modules', () => {
  let mine: FileMeta;
  let theirs: FileMeta;
  beforeAll(async () => {
    mine = await platform.services.files.upload(SYSTEM_ACTOR, person.user.id, { content: samplePng(), name: '材料.png' });
    theirs = await platform.services.files.upload(SYSTEM_ACTOR, enterprise.user.id, { content: samplePdf('theirs'), name: '章程.pdf' });
  });

  it('sniffs and refuses on upload like the route', async () => {
    await expect(platform.services.files.upload(SYSTEM_ACTOR, person.user.id, { content: Buffer.from('MZ'), name: 'a.pdf' })).rejects.toMatchObject({ status: 415, code: 'unsupported_file_type' });
    await expect(platform.services.files.upload(SYSTEM_ACTOR, person.user.id, { content: pdfOfSize(MAX_FILE_BYTES + 1) })).rejects.toMatchObject({ status: 413, code: 'file_too_large' });
  });

  it('describes files without their content, skipping unknown ids', async () => {
    const described = await platform.services.files.describe([theirs.fileId, 'not-a-uuid', '00000000-0000-4000-8000-000000000000', mine.fileId, theirs.fileId.toUpperCase()]);
    expect(described).toEqual([theirs, mine]);
    expect(described[0]).not.toHaveProperty('content');
    expect(mine).toMatchObject({ ownerId: person.user.id, name: '材料.png', mediaType: 'image/png', size: samplePng().length, sha256: sha256(samplePng()) });
  });

  it('asserts ownership, naming every id that is missing or someone else\'s in one problem', async () => {
    expect(await platform.services.files.assertOwnedBy([mine.fileId], person.user.id)).toEqual([mine]);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const error = await platform.services.files
      .assertOwnedBy([mine.fileId, theirs.fileId, unknown, 'junk'], person.user.id, (i) => `materials[${i}].fileId`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      fieldErrors: [
        { field: 'materials[1].fileId', code: 'file_unknown', params: { fileId: theirs.fileId } },
        { field: 'materials[2].fileId', code: 'file_unknown', params: { fileId: unknown } },
        { field: 'materials[3].fileId', code: 'file_unknown', params: { fileId: 'junk' } },
      ],
    });
    // a staff member's upload is theirs too: an applicant cannot claim it
    await expect(platform.services.files.assertOwnedBy([theirs.fileId], clerk.user.id)).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('reads a file with its content, and answers file_not_found for none', async () => {
    expect(await platform.services.files.read(mine.fileId)).toEqual({ meta: mine, content: samplePng() });
    await expect(platform.services.files.read('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ status: 404, code: 'file_not_found' });
    await expect(platform.services.files.read('junk')).rejects.toMatchObject({ status: 404, code: 'file_not_found' });
  });

  it('tells whether a principal may read a file', async () => {
    const principal = { kind: 'applicant', userId: person.user.id, applicantKind: 'natural', name: 'x' } as const;
    expect(await platform.services.files.canRead(principal, mine.fileId)).toBe(true);
    expect(await platform.services.files.canRead(principal, theirs.fileId)).toBe(false);
    expect(await platform.services.files.canRead({ kind: 'client', clientId: person.user.id, name: 'c', scopes: [] }, mine.fileId)).toBe(false);
  });
});
