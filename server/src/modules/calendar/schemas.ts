import { Type, type Static } from 'typebox';

const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const NamedDay = Type.Object({ date: DateString, name: Type.String({ minLength: 1, maxLength: 50 }) });

export const DateParam = Type.Object({ date: DateString });
export const YearParam = Type.Object({ year: Type.Integer({ minimum: 1949, maximum: 2200 }) });

export const Day = Type.Object({
  date: Type.String(),
  workday: Type.Boolean(),
  name: Type.Optional(Type.String({ description: '节假日或调休上班日名称' })),
});

export const DeadlineQuery = Type.Object({
  from: DateString,
  workdays: Type.Integer({ minimum: 0, maximum: 3650 }),
});

export const Deadline = Type.Object({ from: Type.String(), workdays: Type.Integer(), deadline: Type.String() });

/** A year as published: its holidays and its make-up working days (调休上班); the rest follows Mon-Fri. */
export const YearInput = Type.Object({
  year: Type.Integer({ minimum: 1949, maximum: 2200 }),
  source: Type.String({ minLength: 4, maxLength: 300, description: '依据：国务院办公厅节假日安排通知文号等' }),
  holidays: Type.Array(NamedDay, { maxItems: 100 }),
  workdays: Type.Array(NamedDay, { maxItems: 30 }),
});
export type YearInput = Static<typeof YearInput>;

export const YearBody = Type.Object({
  source: YearInput.properties.source,
  holidays: YearInput.properties.holidays,
  workdays: YearInput.properties.workdays,
});

export const YearSummary = Type.Object({
  year: Type.Integer(),
  source: Type.String(),
  loadedAt: Type.String({ format: 'date-time' }),
  holidays: Type.Integer(),
  makeUpWorkdays: Type.Integer(),
});

export const DayCorrection = Type.Object({
  workday: Type.Boolean(),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  reason: Type.String({ minLength: 2, maxLength: 300, description: '更正理由（如临时调整通知文号）' }),
});
export type DayCorrection = Static<typeof DayCorrection>;
