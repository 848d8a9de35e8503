/**
 * Batch import of existing licenses (存量证照) from a spreadsheet: the first worksheet, a header
 * row (证照类型, 持证主体名称, 持证主体证件号码, 有效期起, 有效期至, then one column per face field,
 * headed by its name or label), one license per row. All or nothing: every row is checked and
 * any problem refuses the whole workbook (422 with a field error per cell, `rows[i].…`); a
 * valid workbook is issued and signed in one transaction, as the importing department.
 *
 * The workbook is untrusted: its ZIP directory is read and its entries inflated within limits
 * (catalog's `extractEntries`, the same guard as the catalog import) before exceljs sees a byte.
 */
import ExcelJS from 'exceljs';
import type { AuditActor } from '../../platform/audit/audit.js';
import type { StaffPrincipal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/http/errors.js';
import { extractEntries, storedZip, ZipRefused } from '../catalog/excel-zip.js';
import { LicenseErrors } from './errors.js';
import type { ImportReport, IssueInput } from './schemas.js';
import type { LicensesService } from './service.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const IMPORT_LIMIT_BYTES = 5 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 5000;
const ZIP_LIMITS = { maxEntries: 200, maxEntryBytes: 48 * 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024 };

const FIXED = { type: '证照类型', name: '持证主体名称', identifier: '持证主体证件号码', from: '有效期起', until: '有效期至' } as const;

function text(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('').trim();
    if ('text' in value) return String(value.text).trim();
    if ('result' in value) return text(value.result as ExcelJS.CellValue);
    return '';
  }
  return String(value).trim();
}

export async function readRows(buffer: Buffer): Promise<Array<Record<string, string>>> {
  let entries: Map<string, Buffer>;
  try {
    entries = await extractEntries(buffer, ZIP_LIMITS, () => true);
  } catch (error) {
    if (error instanceof ZipRefused) throw LicenseErrors.import_not_xlsx();
    throw error;
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(storedZip([...entries.entries()]) as unknown as ArrayBuffer);
  } catch {
    throw LicenseErrors.import_not_xlsx();
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw LicenseErrors.import_not_xlsx();
  if (sheet.rowCount > IMPORT_MAX_ROWS + 1) throw LicenseErrors.import_too_large({ limit: `${IMPORT_MAX_ROWS} rows` });
  const header = (sheet.getRow(1).values as ExcelJS.CellValue[]).map(text);
  const rows: Array<Record<string, string>> = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const values = row.values as ExcelJS.CellValue[];
    const record: Record<string, string> = {};
    header.forEach((name, i) => {
      if (name) record[name] = text(values[i] ?? null);
    });
    if (Object.values(record).some((v) => v !== '')) rows.push(record);
  });
  return rows;
}

export async function importWorkbook(licenses: LicensesService, staff: StaffPrincipal, actor: AuditActor, buffer: Buffer): Promise<ImportReport> {
  const rows = await readRows(buffer);
  const types = new Map((await licenses.listTypes()).map((t) => [t.code, t]));
  const inputs: IssueInput[] = rows.map((r) => {
    const type = types.get(r[FIXED.type] ?? '');
    const data: Record<string, string> = {};
    for (const field of type?.fields ?? []) {
      const value = r[field.name] ?? r[field.label];
      if (value !== undefined && value !== '') data[field.name] = value;
    }
    return {
      type: r[FIXED.type] ?? '',
      holder: { identifier: r[FIXED.identifier] ?? '', name: r[FIXED.name] ?? '' },
      data,
      ...(r[FIXED.from] ? { validFrom: r[FIXED.from] } : {}),
      ...(r[FIXED.until] ? { validUntil: r[FIXED.until] } : {}),
    };
  });
  if (inputs.length === 0) throw new AppError(422, 'import_rejected', { count: 1 }, [{ field: 'rows', code: 'license_row_invalid', params: { row: 2, problem: '没有数据行' } }]);
  try {
    await licenses.assertIssuer(staff);
    const issued = await licenses.issueBatch(staff.departmentId, actor, inputs, 'import');
    return { imported: issued.length, licenses: issued.map((l, i) => ({ row: i + 2, licenseId: l.license_id })) };
  } catch (error) {
    if (error instanceof AppError && error.code === 'validation_failed') {
      throw new AppError(422, 'import_rejected', { count: error.fieldErrors.length }, error.fieldErrors);
    }
    throw error;
  }
}
