/**
 * The rule for a case's labels (docs/console-api.md), one for both sides: the console checks what
 * an investigator typed before sending it, the server checks it again.
 */

/** Letters, digits, spaces, - and _, 1 to 40 of them: no punctuation that could carry a sentence. */
export const LABEL_PATTERN = /^[\p{L}\p{N} _-]{1,40}$/u;
export const LABEL_RULE = '1–40 letters, digits, spaces, - or _';
export const MAX_LABELS = 20;
