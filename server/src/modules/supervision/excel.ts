import ExcelJS from 'exceljs';
import type { IndicatorReport } from './service.js';

const pct = (v: number | null) => (v === null ? '' : Math.round(v * 1000) / 10);
const num = (v: number | null) => (v === null ? '' : Math.round(v * 100) / 100);

/** The indicator report as a workbook: the figures, the catalog ratios, and one sheet per breakdown. */
export async function indicatorWorkbook(report: IndicatorReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tongban 通办';
  const figures = wb.addWorksheet('指标');
  figures.addRow([`统计期间 ${report.period.from} 至 ${report.period.to}`]);
  figures.addRow(['指标', '值', '单位', '分子', '分母', '目标', '是否达标']);
  for (const f of report.indicators) {
    figures.addRow([f.label.zh, f.unit === 'ratio' ? pct(f.value) : num(f.value), f.unit === 'ratio' ? '%' : '工作日', f.numerator ?? '', f.denominator ?? '', f.target ?? '', f.met === null ? '' : f.met ? '是' : '否']);
  }
  figures.addRow([]);
  figures.addRow(['“四办”指标（事项目录）', '比例(%)', '分子', '分母', '2019年目标(%)', '2020年目标(%)']);
  for (const c of report.catalog) figures.addRow([c.label.zh, pct(c.ratio), c.numerator, c.denominator, c.target2019 * 100, c.target2020 * 100]);
  figures.getColumn(1).width = 40;

  const depts = wb.addWorksheet('部门');
  depts.addRow(['部门', '收件', '办结', '按时办结率(%)', '平均办理工作日', '补正告知率(%)', '不予受理/许可率(%)', '满意率(%)', '投诉按时办结率(%)']);
  for (const d of report.byDepartment) depts.addRow([d.departmentName, d.received, d.decided, pct(d.onTimeRate), num(d.averageWorkdays), pct(d.correctionRate), pct(d.refusalRate), pct(d.satisfactionRate), pct(d.complaintOnTimeRate)]);
  depts.getColumn(1).width = 32;

  const regions = wb.addWorksheet('区域');
  regions.addRow(['区划代码', '区域', '收件', '办结', '按时办结率(%)']);
  for (const r of report.byRegion) regions.addRow([r.regionCode, r.regionName, r.received, r.decided, pct(r.onTimeRate)]);

  const items = wb.addWorksheet('事项');
  items.addRow(['实施编码', '事项', '收件', '办结', '按时办结率(%)', '平均办理工作日']);
  for (const i of report.byItem) items.addRow([i.itemCode, i.itemName, i.received, i.decided, pct(i.onTimeRate), num(i.averageWorkdays)]);

  const trend = wb.addWorksheet('趋势');
  trend.addRow(['期间', '收件', '办结', '按时办结率(%)']);
  for (const t of report.trend) trend.addRow([t.bucket, t.received, t.decided, pct(t.onTimeRate)]);

  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** RFC 4180 CSV with a BOM (spreadsheet programs then read the Chinese text as UTF-8). */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  const cell = (v: string | number | null) => {
    // a text starting like a formula is kept as text (CSV injection)
    const s = v === null ? '' : typeof v === 'string' && /^[=+\-@]/.test(v) ? `'${v}` : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\ufeff${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
