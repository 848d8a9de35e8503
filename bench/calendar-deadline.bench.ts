/**
 * Deadline computations per second: the platform's WorkingDayIndex (binary search over the sorted
 * working days) against a baseline that walks day by day asking chinese-days' own isWorkday(), on
 * the same random (from, N) pairs within 2004-2026, N 1..60, in the same run. Every sampled pair is
 * checked to agree first; a disagreement aborts the bench.
 */
import chineseDays from 'chinese-days';
import { chineseDaysYears } from '../server/src/modules/calendar/chinese-days-source.js';
import { buildYear, dateOf, dayNumber, WorkingDayIndex } from '../server/src/modules/calendar/working-days.js';
import { measure, seededRandom, type Bench, type BenchRow } from './types.js';

const PAIRS = 5000;
const ROUNDS = 3;
const SECONDS_PER_ROUND = 1.2;
const TARGET_RATIO = 20;

/** Baseline: the N-th working day after `from`, stepping one day at a time through chinese-days. */
function baselineDeadline(from: string, n: number): string {
  let day = dayNumber(from);
  let counted = 0;
  for (;;) {
    day++;
    const date = dateOf(day);
    if (chineseDays.isWorkday(date) && ++counted === n) return date;
  }
}

const bench: Bench = {
  name: 'calendar-deadline',
  run() {
    const years = chineseDaysYears();
    const first = years[0]!.year;
    const last = years[years.length - 1]!.year;
    const index = new WorkingDayIndex(years.flatMap((y) => buildYear(y.year, y.holidays, y.workdays)));

    // Random pairs whose deadline stays inside the loaded years (chinese-days would silently treat
    // a later year as plain weekends; the index answers { missingYear } there instead).
    const random = seededRandom(20_260_930);
    const lo = dayNumber(`${first}-01-01`);
    const hi = dayNumber(`${last}-12-31`);
    const froms: string[] = [];
    const counts: number[] = [];
    const expected: string[] = [];
    while (froms.length < PAIRS) {
      const from = dateOf(lo + Math.floor(random() * (hi - lo + 1)));
      const n = 1 + Math.floor(random() * 60);
      const result = index.deadline(from, n);
      if (!('deadline' in result)) continue;
      froms.push(from);
      counts.push(n);
      expected.push(result.deadline);
    }

    let mismatches = 0;
    for (let i = 0; i < PAIRS; i++) {
      const baseline = baselineDeadline(froms[i]!, counts[i]!);
      if (baseline !== expected[i]) {
        mismatches++;
        console.error(`MISMATCH from=${froms[i]} N=${counts[i]}: index ${expected[i]}, chinese-days day by day ${baseline}`);
      }
    }
    if (mismatches > 0) throw new Error(`calendar-deadline: ${mismatches} of ${PAIRS} pairs disagree`);

    // Alternate the two cases over a few rounds and keep each one's best round, so a burst of load
    // from other processes during one case's turn does not skew the ratio.
    const indexRounds: BenchRow[] = [];
    const baselineRounds: BenchRow[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      indexRounds.push(measure('WorkingDayIndex.deadline', PAIRS, (i) => {
        const r = index.deadline(froms[i]!, counts[i]!);
        return 'deadline' in r ? r.deadline.length : 0;
      }, SECONDS_PER_ROUND));
      baselineRounds.push(measure('day-by-day chinese-days isWorkday', PAIRS, (i) => baselineDeadline(froms[i]!, counts[i]!).length, SECONDS_PER_ROUND));
    }
    const best = (rows: BenchRow[]) => rows.reduce((a, b) => (b.opsPerSec > a.opsPerSec ? b : a));
    const indexRow = best(indexRounds);
    const baselineRow = best(baselineRounds);

    const ratio = indexRow.opsPerSec / baselineRow.opsPerSec;
    const meanN = counts.reduce((a, b) => a + b, 0) / PAIRS;
    return {
      rows: [indexRow, baselineRow],
      notes: [
        `${PAIRS} random (from, N) pairs in ${first}-${last}, N 1..60 (mean ${meanN.toFixed(1)}), seed fixed; all ${PAIRS} agree`,
        `best of ${ROUNDS} alternating rounds of ${SECONDS_PER_ROUND} s per case`,
        `speed-up ${ratio.toFixed(0)}x (target >= ${TARGET_RATIO}x)${ratio >= TARGET_RATIO ? '' : '  BELOW TARGET'}`,
      ],
      ok: ratio >= TARGET_RATIO,
    };
  },
};

export default bench;
