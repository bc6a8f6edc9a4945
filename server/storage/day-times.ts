/**
 * File times cut to the day: the blob store's files keep 00:00 UTC of the day they were written as
 * their access and modification times, so that a seized disk shows days only, as the database does.
 */
import { utimes } from 'node:fs/promises';
import { dayOf } from '../clock';

const DAY_MS = 86_400_000;

/** 00:00 UTC of the day `moment` falls on. */
export function midnightOf(moment: Date): Date {
  return new Date(Date.parse(`${dayOf(moment)}T00:00:00Z`));
}

export function isMidnight(timeMs: number): boolean {
  return timeMs % DAY_MS === 0;
}

/** Whether two file times (milliseconds since 1970) fall on the same UTC day. */
export function onSameDay(aMs: number, bMs: number): boolean {
  return Math.floor(aMs / DAY_MS) === Math.floor(bMs / DAY_MS);
}

/**
 * Sets the atime and mtime of `path` to midnight of the day of `moment`. The kernel sets the ctime
 * to the moment of this call, and nothing can set it back: see settleFileTimes.
 */
export async function setDayTimes(path: string, moment: Date): Promise<void> {
  const midnight = midnightOf(moment);
  await utimes(path, midnight, midnight);
}
