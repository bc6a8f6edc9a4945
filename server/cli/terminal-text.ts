/**
 * Text from elsewhere (a directory request the server wrote, say) as a terminal may show it: in
 * quotes, with every control character, bidirectional override or isolate, and invisible format
 * character written as an escape, so that nothing in it can move the cursor, erase or reorder a line.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;

export function terminalText(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replace(UNSAFE, (character) => `\\u{${character.codePointAt(0)?.toString(16)}}`)}"`;
}
