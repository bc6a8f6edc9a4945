/**
 * The questionnaire the demo body and new bodies start with (protocol/questionnaire.ts), signed into
 * their directories; the intake asks it too for a body whose directory is still version 1, which
 * signs none. Answers are encrypted in the browser: the server never sees them.
 */
import type { Questionnaire } from './questionnaire';

/** The questions the demo body asks, following what EU reporting channels commonly ask. */
export const DEFAULT_QUESTIONNAIRE: Questionnaire = {
  format: 'candor-questionnaire',
  version: 1,
  questions: [
    {
      id: 'what',
      kind: 'long-text',
      required: true,
      label: { en: 'What happened?', fr: 'Que s’est-il passé ?', es: '¿Qué ocurrió?', ar: 'ماذا حدث؟', de: 'Was ist passiert?' },
      help: {
        en: 'Describe the facts. Do not include your name unless you want the body to know it.',
        fr: 'Décrivez les faits. N’indiquez pas votre nom, sauf si vous voulez que l’organisme le connaisse.',
        es: 'Describa los hechos. No incluya su nombre, salvo que quiera que el organismo lo conozca.',
        ar: 'صف الوقائع. لا تذكر اسمك إلا إذا أردت أن تعرفه الجهة.',
        de: 'Beschreiben Sie die Tatsachen. Nennen Sie Ihren Namen nur, wenn die Stelle ihn kennen soll.',
      },
    },
    {
      id: 'who',
      kind: 'long-text',
      required: false,
      label: { en: 'Who is involved?', fr: 'Qui est impliqué ?', es: '¿Quién está involucrado?', ar: 'من المتورط؟', de: 'Wer ist beteiligt?' },
    },
    {
      id: 'when',
      kind: 'text',
      required: false,
      label: { en: 'When did it happen?', fr: 'Quand cela s’est-il produit ?', es: '¿Cuándo ocurrió?', ar: 'متى حدث ذلك؟', de: 'Wann ist es passiert?' },
    },
    {
      id: 'ongoing',
      kind: 'choice',
      required: false,
      label: { en: 'Is it still going on?', fr: 'Est-ce toujours en cours ?', es: '¿Sigue ocurriendo?', ar: 'هل ما زال مستمرا؟', de: 'Dauert es noch an?' },
      choices: [
        { id: 'yes', label: { en: 'Yes', fr: 'Oui', es: 'Sí', ar: 'نعم', de: 'Ja' } },
        { id: 'no', label: { en: 'No', fr: 'Non', es: 'No', ar: 'لا', de: 'Nein' } },
        { id: 'unknown', label: { en: 'I do not know', fr: 'Je ne sais pas', es: 'No lo sé', ar: 'لا أعرف', de: 'Ich weiß es nicht' } },
      ],
    },
  ],
};
