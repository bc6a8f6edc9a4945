/** The body's questionnaire, with errors tied to their fields. */
import { useRef, useState } from 'preact/hooks';
import type { Questionnaire } from '../../../protocol/questionnaire';
import { useLocalized, useT } from '../i18n/context';

export function ReportForm(props: {
  questionnaire: Questionnaire;
  answers: Readonly<Record<string, string>>;
  onChange: (answers: Record<string, string>) => void;
  onContinue: () => void;
}) {
  const t = useT();
  const localized = useLocalized();
  const [missing, setMissing] = useState<readonly string[]>([]);
  const form = useRef<HTMLFormElement>(null);
  const set = (id: string, value: string) => props.onChange({ ...props.answers, [id]: value });

  const submit = (event: Event) => {
    event.preventDefault();
    const empty = props.questionnaire.questions.filter((q) => q.required && (props.answers[q.id] ?? '').trim() === '').map((q) => q.id);
    setMissing(empty);
    if (empty.length > 0) {
      form.current?.querySelector<HTMLElement>(`#q-${empty[0]}`)?.focus();
      return;
    }
    props.onContinue();
  };

  return (
    <form ref={form} onSubmit={submit} noValidate aria-labelledby="report-heading">
      <h1 id="report-heading">{t('report.heading')}</h1>
      {props.questionnaire.questions.map((question) => {
        const id = `q-${question.id}`;
        const invalid = missing.includes(question.id);
        const describedBy = [question.help ? `${id}-help` : '', invalid ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
        const common = { id, 'aria-invalid': invalid, 'aria-describedby': describedBy, 'aria-required': question.required };
        const value = props.answers[question.id] ?? '';
        return (
          <div class="field" key={question.id}>
            {question.kind === 'choice' ? (
              <fieldset {...common}>
                <legend>
                  {localized(question.label)} {question.required && <span class="required">({t('report.required')})</span>}
                </legend>
                {question.choices?.map((choice) => (
                  <label key={choice.id} class="choice">
                    <input type="radio" name={id} value={choice.id} checked={value === choice.id} onChange={() => set(question.id, choice.id)} />
                    {localized(choice.label)}
                  </label>
                ))}
              </fieldset>
            ) : (
              <>
                <label for={id}>
                  {localized(question.label)} {question.required && <span class="required">({t('report.required')})</span>}
                </label>
                {question.kind === 'long-text' ? (
                  <textarea {...common} rows={8} value={value} onInput={(e) => set(question.id, e.currentTarget.value)} />
                ) : (
                  <input {...common} type="text" value={value} onInput={(e) => set(question.id, e.currentTarget.value)} />
                )}
              </>
            )}
            {question.help && (
              <p id={`${id}-help`} class="help">
                {localized(question.help)}
              </p>
            )}
            {invalid && (
              <p id={`${id}-error`} class="error">
                {t('report.missing')}
              </p>
            )}
          </div>
        );
      })}
      <div class="actions">
        <button type="submit" class="primary">
          {t('report.continue')}
        </button>
      </div>
    </form>
  );
}
