/** zod at the edge: every input is parsed into a typed value or refused with a clear, specific error. */
import type { z } from 'zod';
import { AppError } from '../errors';

export function parseInput<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.slice(0, 10).map((issue) => `${issue.path.join('.') || what}: ${issue.message}`);
  throw new AppError('bad-request', `The ${what} is not valid.`, { details });
}
