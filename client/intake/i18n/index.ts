/** Message catalogues and the choice of language: the browser's, until the person picks another. */
import { ar } from './ar';
import { de } from './de';
import { en, type Catalogue, type MessageKey } from './en';
import { es } from './es';
import { fr } from './fr';

export interface Language {
  readonly code: string;
  readonly name: string;
  readonly direction: 'ltr' | 'rtl';
  readonly messages: Catalogue;
}

/** English comes first: it is the language when none of the browser's is offered. */
export const LANGUAGES: readonly Language[] = [
  { code: 'en', name: 'English', direction: 'ltr', messages: en },
  { code: 'fr', name: 'Français', direction: 'ltr', messages: fr },
  { code: 'es', name: 'Español', direction: 'ltr', messages: es },
  { code: 'ar', name: 'العربية', direction: 'rtl', messages: ar },
  { code: 'de', name: 'Deutsch', direction: 'ltr', messages: de },
];

/** The first of the browser's languages (BCP 47 tags, best first) that has a catalogue; by primary subtag, so fr-CA is fr. */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const match = LANGUAGES.find((language) => language.code === tag.toLowerCase().split(/[-_]/)[0]);
    if (match !== undefined) return match;
  }
  return LANGUAGES[0] as Language;
}

export function translate(language: Language, key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
  return language.messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole));
}

export type { MessageKey };
