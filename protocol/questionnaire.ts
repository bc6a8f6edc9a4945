/**
 * The questionnaire a body shows whistleblowers, `candor-questionnaire` version 1: the server stores
 * and serves it (the intake's `GET /api/v1/bodies/:bodyId`), the browser asks its questions and
 * encrypts the answers.
 */
import { z } from 'zod';

const localized = z.record(z.string().regex(/^[a-z]{2}$/), z.string().min(1).max(2000));

export const questionnaireSchema = z
  .object({
    format: z.literal('candor-questionnaire'),
    version: z.literal(1),
    questions: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/),
            kind: z.enum(['text', 'long-text', 'date', 'choice']),
            required: z.boolean(),
            label: localized,
            help: localized.optional(),
            choices: z.array(z.object({ id: z.string().regex(/^[a-z0-9-]{1,40}$/), label: localized }).strict()).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(50),
  })
  .strict();

export type Questionnaire = z.infer<typeof questionnaireSchema>;
export type Question = Questionnaire['questions'][number];
