/** What the load generator and its worker processes tell each other over their IPC channel. */
import type { ProcessRun } from './load-phase';

export const LOAD_PHASES = ['caseCreation', 'statusCheck'] as const;
export type LoadPhaseName = (typeof LOAD_PHASES)[number];

/** The coordinator starts each step of a phase in every worker at once. */
export type ToWorker = { readonly type: 'warm-up' | 'measure'; readonly phase: LoadPhaseName };

export type ToCoordinator =
  | { readonly type: 'ready' }
  | { readonly type: 'warmed'; readonly phase: LoadPhaseName }
  | { readonly type: 'measured'; readonly phase: LoadPhaseName; readonly run: ProcessRun };
