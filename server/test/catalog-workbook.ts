import type { Services } from '../src/app.js';
import { writeCatalogWorkbook } from '../src/modules/catalog/excel.js';
import { sampleContent } from './catalog-fixtures.js';
import { multipartFiles } from './file-samples.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A multipart body of workbook uploads (Excel's media type unless a file names its own). */
export function multipartUpload(files: Array<{ filename: string; data: Buffer; type?: string }>, fields: Record<string, string> = {}): { payload: Buffer; headers: Record<string, string> } {
  return multipartFiles(files.map((f) => ({ type: XLSX_TYPE, ...f })), fields);
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
