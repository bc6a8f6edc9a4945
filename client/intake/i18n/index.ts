/** Message catalogues and the choice of language: the browser's, until the person picks another. */
import { en, type Catalogue, type MessageKey } from './en';

export interface Language {
  readonly code: string;
  readonly name: string;
  readonly direction: 'ltr' | 'rtl';
  readonly messages: Catalogue;
}

export const LANGUAGES: readonly Language[] = [{ code: 'en', name: 'English', direction: 'ltr', messages: en }];

export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const match = LANGUAGES.find((language) => language.code === tag.toLowerCase().split('-')[0]);
    if (match !== undefined) return match;
  }
  return LANGUAGES[0] as Language;
}

export function translate(language: Language, key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
  return language.messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole));
}

export type { MessageKey };
