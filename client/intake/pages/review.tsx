/** A last look at what will be encrypted and sent. */
import type { Questionnaire } from '../../../protocol/questionnaire';
import { useLocalized, useT } from '../i18n/context';
import type { CleanedFile } from '../metadata/index';

export function Review(props: {
  questionnaire: Questionnaire;
  answers: Readonly<Record<string, string>>;
  files: readonly CleanedFile[];
  onSend: () => void;
  onBack: () => void;
}) {
  const t = useT();
  const localized = useLocalized();
  return (
    <section aria-labelledby="review-heading">
      <h1 id="review-heading">{t('review.heading')}</h1>
      <dl class="review">
        {props.questionnaire.questions
          .filter((question) => (props.answers[question.id] ?? '') !== '')
          .map((question) => (
            <div key={question.id}>
              <dt>{localized(question.label)}</dt>
              <dd>{question.kind === 'choice' ? localized(question.choices?.find((c) => c.id === props.answers[question.id])?.label) : props.answers[question.id]}</dd>
            </div>
          ))}
      </dl>
      <p>{t('review.files', { count: props.files.length })}</p>
      <div class="actions">
        <button type="button" onClick={props.onBack}>
          {t('review.back')}
        </button>
        <button type="button" class="primary" onClick={props.onSend}>
          {t('review.send')}
        </button>
      </div>
    </section>
  );
}
