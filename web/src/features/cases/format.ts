/** An instant as the platform's civil time (Asia/Shanghai), `YYYY-MM-DD HH:mm`. */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' });
}
