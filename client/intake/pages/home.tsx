/** First page: what this site is, and the two ways in. */
import { useEffect, useState } from 'preact/hooks';
import type { BodySummary } from '../../../protocol/intake-api';
import { ApiError, BAD_ANSWER, fetchBodies } from '../api';
import { useT } from '../i18n/context';
import type { MessageKey } from '../i18n/index';

export function Home(props: { onChooseBody: (id: string) => void; onCheck: () => void; onStatistics: () => void }) {
  const t = useT();
  const [bodies, setBodies] = useState<readonly BodySummary[] | null>(null);
  const [failed, setFailed] = useState<MessageKey | null>(null);
  useEffect(() => {
    fetchBodies().then(setBodies, (cause: unknown) => setFailed(cause instanceof ApiError && cause.code === BAD_ANSWER ? 'error.bad-answer' : 'error.network'));
  }, []);
  return (
    <section aria-labelledby="home-heading">
      <h1 id="home-heading">{t('app.title')}</h1>
      <p>{t('home.intro')}</p>
      <h2>{t('home.chooseBody')}</h2>
      {failed && <p role="alert">{t(failed)}</p>}
      {bodies?.length === 0 && <p>{t('home.noBodies')}</p>}
      <ul class="choices">
        {bodies?.map((body) => (
          <li key={body.id}>
            <button type="button" class="primary" onClick={() => props.onChooseBody(body.id)}>
              {body.name}
            </button>
          </li>
        ))}
      </ul>
      <h2>{t('home.check')}</h2>
      <button type="button" onClick={props.onCheck}>
        {t('home.check')}
      </button>
      <nav class="home-links" aria-label={t('statistics.heading')}>
        <button type="button" class="link" onClick={props.onStatistics}>
          {t('home.statistics')}
        </button>
      </nav>
    </section>
  );
}
