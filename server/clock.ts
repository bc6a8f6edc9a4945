/** Time as the server may record it: whole days in UTC, never the moment of a reporter's action. */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** `YYYY-MM-DD` in UTC. */
export type Day = string & { readonly day: true };

export function dayOf(date: Date): Day {
  return date.toISOString().slice(0, 10) as Day;
}

export function addDays(day: Day, days: number): Day {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000));
}
