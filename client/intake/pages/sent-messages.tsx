/**
 * What the reporter sent, read back from their own copies in this browser: the report's answers under
 * their questions, a follow-up's text, and each file's name and size. Nothing here comes from the
 * server's side: the copies are sealed to the case and opened with the token.
 */
import type { Question, Questionnaire } from '../../../protocol/questionnaire';
import type { SentContent, SentFile, SentMessage } from '../case-messages';
import { useFormatDay, useLocalized, useT } from '../i18n/context';
import { formatSize } from './files';

/** An answer with the words of its question, if the questionnaire still has it. */
interface ShownAnswer {
  readonly id: string;
  readonly question: Question | undefined;
  readonly answer: string;
}

/** The answers in the questionnaire's order, then any it no longer asks (a later directory may have changed it). */
function shownAnswers(answers: Readonly<Record<string, string>>, questionnaire: Questionnaire | null): ShownAnswer[] {
  const questions = questionnaire?.questions ?? [];
  const asked = questions.filter((question) => Object.hasOwn(answers, question.id)).map((question) => ({ id: question.id, question, answer: answers[question.id] ?? '' }));
  const others = Object.entries(answers)
    .filter(([id]) => !questions.some((question) => question.id === id))
    .map(([id, answer]) => ({ id, question: undefined, answer }));
  return [...asked, ...others].filter((shown) => shown.answer !== '');
}

function Files(props: { files: readonly SentFile[] }) {
  const t = useT();
  if (props.files.length === 0) return null;
  return (
    <>
      <p class="files-heading">{t('check.sentFiles', { count: props.files.length })}</p>
      <ul class="files" data-testid="sent-files">
        {props.files.map((file, index) => (
          <li key={index}>
            <bdi>{file.name}</bdi> (<bdi>{formatSize(file.size)}</bdi>)
          </li>
        ))}
      </ul>
    </>
  );
}

function Answers(props: { answers: Readonly<Record<string, string>>; questionnaire: Questionnaire | null }) {
  const localized = useLocalized();
  const shown = shownAnswers(props.answers, props.questionnaire);
  if (shown.length === 0) return null;
  return (
    <dl class="review" data-testid="sent-answers">
      {shown.map(({ id, question, answer }) => {
        // A choice shows its words; a choice the questionnaire does not know shows as it was sent.
        const choice = question?.kind === 'choice' ? question.choices?.find((option) => option.id === answer) : undefined;
        return (
          <div key={id}>
            <dt>{question === undefined ? id : localized(question.label)}</dt>
            <dd>{choice === undefined ? answer : localized(choice.label)}</dd>
          </div>
        );
      })}
    </dl>
  );
}

function Content(props: { content: SentContent; questionnaire: Questionnaire | null }) {
  const t = useT();
  const { content } = props;
  return content.kind === 'report' ? (
    <>
      <p class="author">{t('check.sentReport')}</p>
      <Answers answers={content.answers} questionnaire={props.questionnaire} />
      <Files files={content.files} />
    </>
  ) : (
    <>
      <p class="author">{t('check.sentFollowup')}</p>
      {content.text !== '' && <p class="text">{content.text}</p>}
      <Files files={content.files} />
    </>
  );
}

/**
 * `questionnaire`: the signed one of the case's body directory (the built-in one for a version 1
 * directory); null when the directory could not be verified, and answers then show under their ids.
 */
export function SentMessages(props: { sent: readonly SentMessage[]; questionnaire: Questionnaire | null }) {
  const t = useT();
  const formatDay = useFormatDay();
  return (
    <ol class="messages" data-testid="sent-messages">
      {props.sent.map((item) => (
        <li key={item.seq} data-from-this-browser={item.fromThisBrowser} data-kind={item.content?.kind ?? 'unreadable'}>
          <p class="date">{formatDay(item.createdOn)}</p>
          {!item.fromThisBrowser && (
            <p class="error" data-testid="copy-not-yours">
              {t('check.copyNotYours')}
            </p>
          )}
          {item.content !== null && <Content content={item.content} questionnaire={props.questionnaire} />}
        </li>
      ))}
    </ol>
  );
}
