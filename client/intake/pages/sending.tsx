/** Progress while the report is encrypted and sent: one bar per file and one for the whole. */
import type { SendStage } from '../submit';
import { useT } from '../i18n/context';

export interface FileProgress {
  readonly name: string;
  readonly sent: number;
  readonly total: number;
}

function Bar(props: { label: string; value: number; id: string }) {
  const percent = Math.round(props.value * 100);
  return (
    <div class="progress">
      <label for={props.id}>{props.label}</label>
      <progress id={props.id} max={100} value={percent} aria-valuetext={`${percent}%`}>
        {percent}%
      </progress>
    </div>
  );
}

export function Sending(props: { stage: SendStage; work: number; busy: boolean; files: readonly FileProgress[] }) {
  const t = useT();
  const stageText = { checking: t('sending.checking'), work: t('sending.work'), report: t('sending.report'), files: t('sending.report') }[props.stage];
  const sent = props.files.reduce((sum, file) => sum + file.sent, 0);
  const total = props.files.reduce((sum, file) => sum + file.total, 0);
  return (
    <section aria-labelledby="sending-heading" aria-busy="true">
      <h1 id="sending-heading">{t('sending.heading')}</h1>
      <p role="status">{stageText}</p>
      {props.busy && props.stage === 'work' && <p data-testid="work-busy">{t('sending.workBusy')}</p>}
      <Bar id="progress-work" label={t('sending.work')} value={props.work} />
      {props.files.map((file, index) => (
        <Bar key={index} id={`progress-file-${index}`} label={t('sending.file', { name: file.name })} value={file.total === 0 ? 0 : file.sent / file.total} />
      ))}
      {props.files.length > 0 && <Bar id="progress-total" label={t('sending.total')} value={total === 0 ? 0 : sent / total} />}
    </section>
  );
}
