/** The intake's pages as a small state machine: nothing is routed through the URL, so no token can land in it. */
import { useEffect, useState } from 'preact/hooks';
import type { CaseToken } from '../../crypto/index';
import { BAD_ANSWER } from './api';
import { directoryErrorKey } from './directory-errors';
import { LanguageContext, useT } from './i18n/context';
import { LANGUAGES, translate, type Language, type MessageKey } from './i18n/index';
import type { CleanedFile } from './metadata/index';
import { About } from './pages/about';
import { CheckCase } from './pages/check-case';
import { FilesPage } from './pages/files';
import { Home } from './pages/home';
import { Receipt } from './pages/receipt';
import { ReportForm } from './pages/report-form';
import { Review } from './pages/review';
import { Sending, type FileProgress } from './pages/sending';
import { StatisticsPage } from './pages/statistics';
import { assertClientCryptoSupport, sendReport, UnsupportedBrowserError, type FailedFilesReason, type SendStage } from './submit';
import { questionnaireOf, type ChosenBody } from './verified-body';

type Step =
  | { readonly name: 'home' }
  | { readonly name: 'about' | 'report' | 'files' | 'review'; readonly body: ChosenBody }
  | { readonly name: 'sending'; readonly stage: SendStage; readonly work: number; readonly busy: boolean; readonly files: readonly FileProgress[] }
  | { readonly name: 'receipt'; readonly token: CaseToken; readonly failedFiles: readonly string[]; readonly failedFilesReason: FailedFilesReason }
  | { readonly name: 'check' | 'statistics' };

function sendErrorKey(error: unknown): MessageKey {
  if (error instanceof UnsupportedBrowserError) return 'error.unsupported';
  const code = (error as { code?: unknown } | null)?.code;
  const directoryError = typeof code === 'string' ? directoryErrorKey(code) : null;
  if (directoryError !== null) return directoryError;
  if (code === 'rate-limited') return 'error.rate-limited';
  if (code === 'storage-full') return 'error.storage-full';
  if (code === BAD_ANSWER) return 'error.bad-answer';
  if (error instanceof TypeError) return 'error.network';
  return 'error.generic';
}

function Pages(props: { language: Language; onLanguage: (code: string) => void }) {
  const t = useT();
  const [step, setStep] = useState<Step>({ name: 'home' });
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [files, setFiles] = useState<CleanedFile[]>([]);
  const [error, setError] = useState<MessageKey | null>(null);

  const startOver = () => {
    setAnswers({});
    setFiles([]);
    setStep({ name: 'home' });
  };

  const send = async (body: ChosenBody) => {
    setError(null);
    let progress: FileProgress[] = files.map(({ original, file }) => ({ name: original.name, sent: 0, total: file.size }));
    let current: Extract<Step, { name: 'sending' }> = { name: 'sending', stage: 'checking', work: 0, busy: false, files: progress };
    const update = (change: Partial<Extract<Step, { name: 'sending' }>>) => {
      current = { ...current, ...change };
      setStep(current);
    };
    update({});
    try {
      const result = await sendReport(body, answers, files, {
        onStage: (stage) => update({ stage }),
        onWorkProgress: (work) => update({ work }),
        onWorkBusy: (busy) => update({ busy }),
        onFileProgress: (index, { sent, total }) => {
          progress = progress.map((file, i) => (i === index ? { ...file, sent, total } : file));
          update({ files: progress });
        },
      });
      // The draft is dropped as soon as it is sent: it should not linger in memory.
      setAnswers({});
      setFiles([]);
      setStep({ name: 'receipt', token: result.token, failedFiles: result.failedFiles, failedFilesReason: result.failedFilesReason });
    } catch (cause) {
      setError(sendErrorKey(cause));
      setStep({ name: 'review', body });
    }
  };

  // Checked before anything is written: a browser that cannot encrypt stops the person here and
  // tells them why. The first page offers only bodies whose directory verified for their id.
  const chooseBody = (body: ChosenBody) => {
    setError(null);
    try {
      assertClientCryptoSupport();
      setStep({ name: 'about', body });
    } catch (cause) {
      setError(sendErrorKey(cause));
    }
  };

  return (
    <>
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <header>
        <button type="button" class="link" onClick={startOver}>
          {t('app.title')}
        </button>
        <label>
          {t('app.language')}{' '}
          <select value={props.language.code} onChange={(e) => props.onLanguage(e.currentTarget.value)}>
            {LANGUAGES.map((language) => (
              <option key={language.code} value={language.code} lang={language.code}>
                {language.name}
              </option>
            ))}
          </select>
        </label>
      </header>
      <main id="main" tabIndex={-1}>
        {error && (
          <p class="error banner" role="alert" data-testid="page-error">
            {t(error)}
          </p>
        )}
        {step.name === 'home' && <Home onChooseBody={chooseBody} onCheck={() => setStep({ name: 'check' })} onStatistics={() => setStep({ name: 'statistics' })} />}
        {step.name === 'about' && <About directory={step.body.directory} onBack={startOver} onContinue={() => setStep({ name: 'report', body: step.body })} />}
        {step.name === 'report' && (
          <ReportForm questionnaire={questionnaireOf(step.body.directory)} answers={answers} onChange={setAnswers} onContinue={() => setStep({ name: 'files', body: step.body })} />
        )}
        {step.name === 'files' && <FilesPage files={files} onChange={setFiles} onContinue={() => setStep({ name: 'review', body: step.body })} />}
        {step.name === 'review' && (
          <Review questionnaire={questionnaireOf(step.body.directory)} answers={answers} files={files} onBack={() => setStep({ name: 'files', body: step.body })} onSend={() => void send(step.body)} />
        )}
        {step.name === 'sending' && <Sending stage={step.stage} work={step.work} busy={step.busy} files={step.files} />}
        {step.name === 'receipt' && <Receipt token={step.token} failedFiles={step.failedFiles} failedFilesReason={step.failedFilesReason} onDone={startOver} />}
        {step.name === 'check' && <CheckCase onLogout={startOver} />}
        {step.name === 'statistics' && <StatisticsPage onBack={startOver} />}
      </main>
    </>
  );
}

export function App(props: { initial: Language }) {
  const [language, setLanguage] = useState(props.initial);
  // The whole document follows the language: screen readers use lang, the layout mirrors with dir.
  useEffect(() => {
    document.documentElement.lang = language.code;
    document.documentElement.dir = language.direction;
    document.title = translate(language, 'app.title');
  }, [language]);
  const choose = (code: string) => setLanguage(LANGUAGES.find((candidate) => candidate.code === code) ?? language);
  return (
    <LanguageContext.Provider value={language}>
      <Pages language={language} onLanguage={choose} />
    </LanguageContext.Provider>
  );
}
