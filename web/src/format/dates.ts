/** The start of a day typed in a date field, in the reader's own time zone, as the API's instant. */
export function startOfDay(date: string, addDays = 0): string | null {
  if (!date) return null;
  const day = new Date(`${date}T00:00`);
  day.setDate(day.getDate() + addDays);
  return day.toISOString();
}

/** The last millisecond of a day typed in a date field: what "as of that date" and "through that date" mean. */
export function endOfDay(date: string): string | null {
  const next = startOfDay(date, 1);
  return next && new Date(Date.parse(next) - 1).toISOString();
}

/**
 * A period typed as two dates, both inclusive for people, as the API's [from, to): `to` is the
 * start of the day after. Either may be left empty (the beginning, now).
 */
export function periodOf(from: string, to: string): { from: string | null; to: string | null } {
  return { from: startOfDay(from), to: startOfDay(to, 1) };
}
