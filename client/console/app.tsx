/**
 * The console as a small state machine: signing in step by step, unlocking the keys, then the pages.
 * Nothing is routed through the URL: no case id lands in the browser's history.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ConsoleHttp } from './api/http';
import { currentSession, signOut } from './api/session-api';
import type { SessionAnswer } from '../../protocol/console-api/index';
import { DecryptedCases } from './decrypted-cases';
import { browserSerialStorage, DirectorySerials } from './directory-serials';
import { IDLE_CHECK_MS, idleAction, PAGE_USE_EVENTS } from './idle-lock';
import { Keyring } from './keyring';
import { AccountPage } from './pages/account';
import { AdminAccounts } from './pages/admin-accounts';
import { AdminAudit } from './pages/admin-audit';
import { AdminBodies } from './pages/admin-bodies';
import { CaseList, INITIAL_CASE_LIST, type CaseListState } from './pages/case-list';
import { CaseView } from './pages/case-view';
import { Enroll } from './pages/enroll';
import { KeyGate } from './pages/key-gate';
import { MustChangePassword } from './pages/must-change-password';
import { RecoveryCodes } from './pages/recovery-codes';
import { SecondFactor } from './pages/second-factor';
import { SignIn } from './pages/sign-in';
import { sessionStep } from './session-flow';
import { t, type StringKey } from './strings';
import { errorText } from './ui/error-text';
import { ServicesContext, type ConsoleServices } from './ui/services';

type View =
  | { readonly name: 'cases' | 'account' | 'admin-accounts' | 'admin-bodies' | 'admin-audit' }
  | { readonly name: 'case'; readonly caseId: string };

const NAVIGATION: Readonly<Record<'admin' | 'investigator', readonly (readonly [View['name'], StringKey])[]>> = {
  investigator: [
    ['cases', 'nav.cases'],
    ['account', 'nav.account'],
  ],
  admin: [
    ['admin-accounts', 'nav.accounts'],
    ['admin-bodies', 'nav.bodies'],
    ['admin-audit', 'nav.audit'],
    ['account', 'nav.account'],
  ],
};

export function App() {
  const [session, setSession] = useState<SessionAnswer | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  const [banner, setBanner] = useState<string | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<readonly string[] | null>(null);
  const [keysReady, setKeysReady] = useState(false);
  const [view, setView] = useState<View>({ name: 'cases' });
  const [caseList, setCaseList] = useState<CaseListState>(INITIAL_CASE_LIST);

  const services = useMemo<ConsoleServices>(() => {
    const keyring = new Keyring();
    const decrypted = new DecryptedCases();
    // Plaintext lives no longer than the keys that decrypted it.
    keyring.onChange(() => {
      if (!keyring.isUnlocked) decrypted.clear();
    });
    const http = new ConsoleHttp({ onSessionLost: () => endLocally(t('app.sessionEnded')) });
    return { http, keyring, decrypted, directoryTrust: { pins: __CANDOR_DIRECTORY_PINS__, serials: new DirectorySerials(browserSerialStorage()) } };
  }, []);
  const { http, keyring } = services;

  /** Forgets everything of the session in this tab: keys, plaintext, the list, the CSRF token. */
  function endLocally(message: string | null) {
    keyring.lock();
    http.useCsrfToken(null);
    setSession(null);
    setKeysReady(false);
    setRecoveryCodes(null);
    setView({ name: 'cases' });
    setCaseList(INITIAL_CASE_LIST);
    setBanner(null);
    setNotice(message);
  }

  const adopt = (next: SessionAnswer) => {
    http.useCsrfToken(next.csrfToken);
    setSession(next);
    setNotice(null);
  };

  useEffect(() => {
    currentSession(http).then(
      (found) => (found === null ? setSession(null) : adopt(found)),
      (error: unknown) => {
        setSession(null);
        setNotice(errorText(error));
      },
    );
  }, []);

  const signOutEverywhere = async () => {
    // The tab forgets the session even if the server cannot be reached: nothing stays unlocked here.
    await signOut(http).catch(() => undefined);
    endLocally(t('app.signedOut'));
  };

  const idleMinutes = session?.idleMinutes ?? null;
  useEffect(() => {
    if (idleMinutes === null) return undefined;
    let lastUseAt = Date.now();
    const used = () => {
      lastUseAt = Date.now();
    };
    const check = () => {
      const action = idleAction({ now: Date.now(), lastUseAt, lastRequestAt: http.lastRequestAt, idleMinutes });
      // Only this tab forgets, at once and without waiting for the network: another tab may be in use,
      // and a session no tab uses has already ended on the server, which counts from the last request.
      if (action === 'end') endLocally(t('app.idleEnded', { minutes: idleMinutes }));
      // A keep-alive that cannot reach the server changes nothing; one that finds no session ends the tab's.
      else if (action === 'keep-alive') {
        void currentSession(http).then((found) => found === null && endLocally(t('app.sessionEnded')), () => undefined);
      }
    };
    for (const event of PAGE_USE_EVENTS) window.addEventListener(event, used, { passive: true, capture: true });
    // Checked at once when the tab comes back (a laptop waking up), not at the next tick.
    document.addEventListener('visibilitychange', check);
    const timer = window.setInterval(check, IDLE_CHECK_MS);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', check);
      for (const event of PAGE_USE_EVENTS) window.removeEventListener(event, used, { capture: true });
    };
  }, [idleMinutes]);

  const lock = () => {
    keyring.lock();
    setKeysReady(false);
  };

  const step = session === undefined ? 'loading' : sessionStep(session);
  const account = session?.account ?? null;
  const ready = step === 'ready' && account !== null && recoveryCodes === null && (account.role === 'admin' || keysReady);
  const shown: View = account?.role === 'admin' && (view.name === 'cases' || view.name === 'case') ? { name: 'admin-accounts' } : view;

  const content = () => {
    if (session === undefined) return <p role="status">{t('app.loading')}</p>;
    if (session === null || account === null) return <SignIn notice={notice} onSession={adopt} />;
    if (recoveryCodes !== null) return <RecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(null)} />;
    if (step === 'second-factor') return <SecondFactor account={account} onSession={adopt} onCancel={() => void signOutEverywhere()} />;
    if (step === 'enroll') {
      return (
        <Enroll
          onEnrolled={(enrollment) => {
            if (enrollment.recoveryCodes.length > 0) setRecoveryCodes(enrollment.recoveryCodes);
            adopt(enrollment.session);
          }}
          onCancel={() => void signOutEverywhere()}
        />
      );
    }
    if (step === 'change-password') return <MustChangePassword username={account.username} onChanged={adopt} />;
    if (!ready) {
      return (
        <KeyGate
          username={account.username}
          onDone={(message) => {
            setKeysReady(true);
            setBanner(message);
          }}
        />
      );
    }
    switch (shown.name) {
      case 'cases':
        return <CaseList account={account} state={caseList} onState={setCaseList} onOpen={(caseId) => setView({ name: 'case', caseId })} />;
      case 'case':
        return (
          <CaseView
            account={account}
            caseId={shown.caseId}
            onBack={() => setView({ name: 'cases' })}
            onSummary={(summary) => setCaseList((list) => ({ ...list, cases: list.cases.map((item) => (item.id === summary.id ? summary : item)) }))}
          />
        );
      case 'account':
        return <AccountPage account={account} onSession={adopt} />;
      case 'admin-accounts':
        return <AdminAccounts />;
      case 'admin-bodies':
        return <AdminBodies />;
      case 'admin-audit':
        return <AdminAudit />;
    }
  };

  return (
    <ServicesContext.Provider value={services}>
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <header>
        <p class="product">{t('app.title')}</p>
        {ready && account !== null && (
          <nav aria-label={t('nav.label')}>
            <ul>
              {NAVIGATION[account.role].map(([name, label]) => (
                <li key={name}>
                  <button type="button" class="link" aria-current={shown.name === name ? 'page' : undefined} onClick={() => setView({ name } as View)}>
                    {t(label)}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {session && (
          <div class="session">
            <span>{t('app.signedInAs', { username: session.account.username })}</span>
            {keysReady && (
              <button type="button" onClick={lock}>
                {t('app.lock')}
              </button>
            )}
            <button type="button" onClick={() => void signOutEverywhere()}>
              {t('app.signOut')}
            </button>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {banner && ready && (
          <p class="notice" role="status">
            {banner}{' '}
            <button type="button" class="link" onClick={() => setBanner(null)}>
              {t('app.dismiss')}
            </button>
          </p>
        )}
        {content()}
      </main>
    </ServicesContext.Provider>
  );
}
