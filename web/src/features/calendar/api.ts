import type { Static } from 'typebox';
import type { Day as DaySchema, DayCorrection, Deadline as DeadlineSchema, YearBody, YearInput, YearSummary as YearSummarySchema } from '@server/modules/calendar/schemas';
import { api } from '../../app/api';

export type Day = Static<typeof DaySchema>;
export type Deadline = Static<typeof DeadlineSchema>;
export type YearSummary = Static<typeof YearSummarySchema>;
export type Year = YearInput;
export type YearArrangement = Static<typeof YearBody>;

export const YEARS_PATH = '/api/v1/calendar/years';

export const calendarApi = {
  day: (date: string) => api.get<Day>(`/api/v1/calendar/days/${date}`),
  deadline: (from: string, workdays: number) => api.get<Deadline>('/api/v1/calendar/deadline', { from, workdays }),
  year: (year: number) => api.get<Year>(`${YEARS_PATH}/${year}`),
  putYear: (year: number, body: YearArrangement) => api.put<{ ok: true }>(`/api/v1/admin/calendar/years/${year}`, body),
  correctDay: (date: string, body: DayCorrection) =>
    api.patch<{ date: string; workday: boolean; name: string | null }>(`/api/v1/admin/calendar/days/${date}`, body),
};

/** Today's date where the platform keeps time (Asia/Shanghai), whatever the browser's zone. */
export function todayInShanghai(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
