/** What happens to the report and how to stay anonymous, before anything is written. */
import { useT } from '../i18n/context';

export function About(props: { bodyName: string; onContinue: () => void; onBack: () => void }) {
  const t = useT();
  return (
    <section aria-labelledby="about-heading">
      <h1 id="about-heading">{t('about.heading')}</h1>
      <ul class="advice">
        <li>{t('about.encryption', { body: props.bodyName })}</li>
        <li>{t('about.token')}</li>
        <li>{t('about.anonymity')}</li>
        <li>{t('about.safer')}</li>
      </ul>
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
