/** The intake's message catalogues: complete in every language, and the language follows the browser. */
import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from '../../../client/intake/i18n/en';
import { LANGUAGES, pickLanguage, translate, type Language } from '../../../client/intake/i18n/index';

const englishKeys = Object.keys(en).sort();

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();
}

function language(code: string): Language {
  const found = LANGUAGES.find((candidate) => candidate.code === code);
  if (found === undefined) throw new Error(`no language ${code}`);
  return found;
}

describe('the catalogues', () => {
  it('when the languages are listed, then English, French, Spanish, Arabic and German are offered under their own names', () => {
    expect(LANGUAGES.map((l) => [l.code, l.name, l.direction])).toEqual([
      ['en', 'English', 'ltr'],
      ['fr', 'Français', 'ltr'],
      ['es', 'Español', 'ltr'],
      ['ar', 'العربية', 'rtl'],
      ['de', 'Deutsch', 'ltr'],
    ]);
  });

  describe.each(LANGUAGES.filter((l) => l.code !== 'en').map((l) => [l.code, l] as const))('%s', (_code, candidate) => {
    it('when compared with English, then it has exactly the same keys', () => {
      expect(Object.keys(candidate.messages).sort()).toEqual(englishKeys);
    });

    it('when a message is read, then it is not empty and not left in English by mistake', () => {
      // Short, international words ("Total", "Status") may rightly be the same; a sentence may not.
      const untranslated = englishKeys.filter((key) => en[key as MessageKey].includes(' ') && candidate.messages[key as MessageKey] === en[key as MessageKey]);
      expect(untranslated).toEqual([]);
      for (const key of englishKeys) expect(candidate.messages[key as MessageKey].trim(), key).not.toBe('');
    });

    it('when a message has placeholders, then the translation has the same ones', () => {
      for (const key of englishKeys) {
        expect(placeholders(candidate.messages[key as MessageKey]), key).toEqual(placeholders(en[key as MessageKey]));
      }
    });

    it('when a message uses bidirectional isolates, then each one is closed', () => {
      for (const key of englishKeys) {
        const text = candidate.messages[key as MessageKey];
        const opened = [...text].filter((c) => c === '\u2066' || c === '\u2067' || c === '\u2068').length;
        expect([...text].filter((c) => c === '\u2069').length, key).toBe(opened);
      }
    });
  });
});

describe('pickLanguage', () => {
  it("when the browser prefers Canadian French, then French is chosen over the browser's English", () => {
    expect(pickLanguage(['fr-CA', 'en']).code).toBe('fr');
  });

  it('when the browser prefers a language without a catalogue, then the next one it accepts is chosen', () => {
    expect(pickLanguage(['pt-BR', 'ar-EG', 'en']).code).toBe('ar');
  });

  it('when no preferred language has a catalogue, then English is the fallback', () => {
    expect(pickLanguage(['pt']).code).toBe('en');
    expect(pickLanguage([]).code).toBe('en');
  });

  it('when tags are written in capitals or with an underscore, then they still match', () => {
    expect(pickLanguage(['ES_mx']).code).toBe('es');
    expect(pickLanguage(['DE']).code).toBe('de');
  });
});

describe('translate', () => {
  it('when a message has placeholders, then they are filled with the given values', () => {
    expect(translate(language('en'), 'about.encryption', { body: 'the Audit Office' })).toContain('investigators of the Audit Office.');
    expect(translate(language('fr'), 'review.files', { count: 3 })).toBe('Fichiers joints\u00a0: 3');
    expect(translate(language('en'), 'receipt.fileText', { token: 'AAAA-BBBB' })).toBe(
      'Case token: AAAA-BBBB\nKeep it secret. It cannot be recovered.',
    );
  });

  it('when a value is missing, then its placeholder stays visible rather than disappearing', () => {
    expect(translate(language('de'), 'files.remove')).toBe('{name} entfernen');
  });

  it('when a message has no placeholders, then it is returned as written', () => {
    expect(translate(language('ar'), 'app.title')).toBe('الإبلاغ عن الفساد بأمان');
  });
});
