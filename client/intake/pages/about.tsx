/** What happens to the report and how to stay anonymous, before anything is written; the body's signed policy, if it has one. */
import type { BodyDirectory } from '../../../protocol/body-directory';
import { useLanguage, useT } from '../i18n/context';
import { textIn } from '../verified-body';

export function About(props: { directory: BodyDirectory; onContinue: () => void; onBack: () => void }) {
  const t = useT();
  const policy = textIn(props.directory.policy, useLanguage().code);
  return (
    <section aria-labelledby="about-heading">
      <h1 id="about-heading">{t('about.heading')}</h1>
      <ul class="advice">
        <li>{t('about.encryption', { body: props.directory.name })}</li>
        <li>{t('about.token')}</li>
        <li>{t('about.anonymity')}</li>
        <li>{t('about.safer')}</li>
      </ul>
      {policy !== null && (
        <section aria-labelledby="policy-heading">
          <h2 id="policy-heading">{t('about.policy', { body: props.directory.name })}</h2>
          <p class="policy" data-testid="body-policy">
            {policy}
          </p>
        </section>
      )}
      <div class="actions">
        <button type="button" onClick={props.onBack}>
          {t('review.back')}
        </button>
        <button type="button" class="primary" onClick={props.onContinue}>
          {t('about.continue')}
        </button>
      </div>
    </section>
  );
}
