import { randomBytes } from 'node:crypto';
import type { Services } from '../src/app.js';
import { writeCatalogWorkbook } from '../src/modules/catalog/excel.js';
import { sampleContent } from './catalog-fixtures.js';

/** A multipart/form-data body holding `files` (field `file`) and plain fields, for `app.inject`. */
export function multipartUpload(files: Array<{ filename: string; data: Buffer; type?: string }>, fields: Record<string, string> = {}): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----tongban${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  for (const f of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.filename}"\r\nContent-Type: ${f.type ?? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'}\r\n\r\n`));
    chunks.push(f.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** An upload of a one-item catalog workbook whose item belongs to the named department. */
export async function departmentWorkbookUpload(services: Services, departmentName: string): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const department = (await services.org.listDepartments()).find((d) => d.name === departmentName);
  if (!department) throw new Error(`no department ${departmentName}`);
  const basicCode = 'WD0000000001';
  const workbook = await writeCatalogWorkbook(
    [{ implementationCode: `${department.creditCode}3${basicCode}`, basicCode, exerciseLevel: 3, departmentName: department.name, version: 1, effectiveFrom: null, content: sampleContent({ name: '越权导入的事项' }) }],
    { departments: [department], halls: [], proofs: [], intermediaries: [] },
  );
  return multipartUpload([{ filename: 'catalog.xlsx', data: workbook }]);
}
