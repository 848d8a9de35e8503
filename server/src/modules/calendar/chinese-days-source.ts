import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { YearInput } from './schemas.js';

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** chinese-days stores "English name,中文名,days": the Chinese name is what the UI shows. */
function chineseName(value: string): string {
  return value.split(',')[1] ?? value;
}

function load(): ChineseDaysData {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('chinese-days/package.json');
  const version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
  const data = JSON.parse(readFileSync(packageJson.replace(/package\.json$/, 'dist/chinese-days.json'), 'utf8')) as ChineseDaysData;
  chineseDaysVersion = version;
  return data;
}

let chineseDaysVersion = '';

/**
 * Every year chinese-days covers, as calendar imports. Each names its source: the State Council
 * General Office's yearly notice on public holiday arrangements, as transcribed by chinese-days.
 */
export function chineseDaysYears(): YearInput[] {
  const data = load();
  const years = new Map<number, YearInput>();
  const yearOf = (date: string) => {
    const year = Number(date.slice(0, 4));
    let entry = years.get(year);
    if (!entry) {
      entry = {
        year,
        source: `国务院办公厅关于${year}年部分节假日安排的通知（数据来源 chinese-days@${chineseDaysVersion}）`,
        holidays: [],
        workdays: [],
      };
      years.set(year, entry);
    }
    return entry;
  };
  for (const [date, value] of Object.entries(data.holidays)) yearOf(date).holidays.push({ date, name: chineseName(value) });
  for (const [date, value] of Object.entries(data.workdays)) yearOf(date).workdays.push({ date, name: `${chineseName(value)}调休上班` });
  return [...years.values()].sort((a, b) => a.year - b.year);
}
