/** The console's texts: every value the API can send has a text, and parameters are filled in. */
import { describe, expect, it } from 'vitest';
import { CASE_OUTCOMES, CASE_PRIORITIES, CASE_STATUSES } from '../../../../protocol/case-workflow';
import { STRINGS, t } from '../../../../client/console/strings';

const keys = new Set(Object.keys(STRINGS));

describe('the console texts', () => {
  it('when a status, outcome or priority comes from the server, then it has a text', () => {
    const needed = [...CASE_STATUSES.map((s) => `status.${s}`), ...CASE_OUTCOMES.map((o) => `outcome.${o}`), ...CASE_PRIORITIES.map((p) => `priority.${p}`)];
    expect(needed.filter((key) => !keys.has(key))).toEqual([]);
  });

  it('when a case object, deadline marker or composer kind is shown, then it has its texts', () => {
    const needed = [
      ...['report', 'followup', 'note', 'reply-copy'].map((kind) => `thread.${kind}`),
      ...['overdue', 'soon'].flatMap((mark) => ['acknowledge', 'feedback'].map((deadline) => `due.${mark}.${deadline}`)),
      ...['reply', 'note'].flatMap((kind) => ['heading', 'help', 'label', 'submit', 'sent'].map((part) => `compose.${kind}.${part}`)),
      'role.admin',
      'role.investigator',
    ];
    expect(needed.filter((key) => !keys.has(key))).toEqual([]);
  });

  it('when parameters are given, then they are filled in, and a missing one stays visible', () => {
    expect(t('search.decrypting', { done: 2, total: 5 })).toBe('Decrypting: 2 of 5…');
    expect(t('search.decrypting', { done: 2 })).toBe('Decrypting: 2 of {total}…');
  });
});
