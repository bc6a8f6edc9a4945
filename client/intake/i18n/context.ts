/** The current language for components: `useT()` gives a translate function bound to it. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { LANGUAGES, translate, type Language, type MessageKey } from './index';

export const LanguageContext = createContext<Language>(LANGUAGES[0] as Language);

export function useLanguage(): Language {
  return useContext(LanguageContext);
}

export function useT(): (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string {
  const language = useLanguage();
  return (key, params) => translate(language, key, params);
}

/** A questionnaire text in the current language, else English, else any. */
export function useLocalized(): (texts: Readonly<Record<string, string>> | undefined) => string {
  const language = useLanguage();
  return (texts) => (texts === undefined ? '' : (texts[language.code] ?? texts.en ?? Object.values(texts)[0] ?? ''));
}

/** A day (`YYYY-MM-DD`, as the server sends dates) written the way the current language writes dates. */
export function useFormatDay(): (day: string) => string {
  const language = useLanguage();
  const format = new Intl.DateTimeFormat(language.code, { dateStyle: 'long', timeZone: 'UTC' });
  return (day) => {
    const date = new Date(`${day}T00:00:00Z`);
    return Number.isNaN(date.getTime()) ? day : format.format(date);
  };
}
