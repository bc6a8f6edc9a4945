/** First page: what this site is, and the two ways in. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, BAD_ANSWER } from '../api';
import { useT } from '../i18n/context';
import type { MessageKey } from '../i18n/index';
import { fetchListedBodies, type ChosenBody, type ListedBody } from '../verified-body';

export function Home(props: { onChooseBody: (body: ChosenBody) => void; onCheck: () => void; onStatistics: () => void }) {
  const t = useT();
  const [bodies, setBodies] = useState<readonly ListedBody[] | null>(null);
  const [failed, setFailed] = useState<MessageKey | null>(null);
  useEffect(() => {
    fetchListedBodies(__CANDOR_DIRECTORY_PINS__).then(setBodies, (cause: unknown) => setFailed(cause instanceof ApiError && cause.code === BAD_ANSWER ? 'error.bad-answer' : 'error.network'));
  }, []);
  return (
    <section aria-labelledby="home-heading">
      <h1 id="home-heading">{t('app.title')}</h1>
      <p>{t('home.intro')}</p>
      <h2>{t('home.chooseBody')}</h2>
      {failed && <p role="alert">{t(failed)}</p>}
      {bodies?.length === 0 && <p>{t('home.noBodies')}</p>}
      <ul class="choices">
        {bodies?.map((listed) =>
          listed.verified ? (
            <li key={listed.id}>
              <button type="button" class="primary" onClick={() => props.onChooseBody(listed.body)}>
                {/* The name as the body signed it: the server's word for it is never shown. */}
                {listed.body.directory.name}
              </button>
            </li>
          ) : (
            <li key={listed.id}>
              <button type="button" disabled aria-describedby={`unverified-${listed.id}`}>
                {listed.id}
              </button>
              <p id={`unverified-${listed.id}`} class="warning" data-testid="body-unverified">
                {t('home.unverified')}
              </p>
            </li>
          ),
        )}
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
