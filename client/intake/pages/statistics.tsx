/**
 * The published statistics (docs/statistics.md): per body a chart and, beside it, a table of the
 * same and more figures, which is the accessible version; links to the open data in JSON and CSV.
 */
import { useEffect, useState } from 'preact/hooks';
import { OUTCOMES, type Granularity, type PeriodFigures, type PublishedCount, type StatisticsDocument } from '../../../protocol/statistics';
import { fetchStatistics, statisticsPath } from '../api';
import { useLanguage, useT } from '../i18n/context';
import type { MessageKey } from '../i18n/index';
import { StatisticsChart } from '../statistics-chart';

/** The most recent periods shown per body; older ones are in the data files. */
const PERIODS_SHOWN = 8;

interface Row {
  readonly label: MessageKey;
  readonly value: (figures: PeriodFigures) => PublishedCount | { readonly percent: number | null } | { readonly days: number | null };
}

const ROWS: readonly Row[] = [
  { label: 'statistics.received', value: (f) => f.received },
  { label: 'statistics.acknowledgmentsDue', value: (f) => f.acknowledgment.due },
  { label: 'statistics.acknowledgedOnTime', value: (f) => f.acknowledgment.onTime },
  { label: 'statistics.acknowledgedOnTimeShare', value: (f) => ({ percent: f.acknowledgment.onTimePercent }) },
  { label: 'statistics.feedbackDue', value: (f) => f.feedback.due },
  { label: 'statistics.feedbackOnTime', value: (f) => f.feedback.onTime },
  { label: 'statistics.feedbackOnTimeShare', value: (f) => ({ percent: f.feedback.onTimePercent }) },
  { label: 'statistics.closed', value: (f) => f.closed.total },
  ...OUTCOMES.map((outcome): Row => ({ label: `statistics.outcome.${outcome}`, value: (f) => f.closed[outcome] })),
  { label: 'statistics.medianDaysToAcknowledgment', value: (f) => ({ days: f.medianDaysToAcknowledgment }) },
  { label: 'statistics.medianDaysToClosure', value: (f) => ({ days: f.medianDaysToClosure }) },
  { label: 'statistics.openAtEnd', value: (f) => f.openAtEnd },
];

function useFormats() {
  const t = useT();
  const language = useLanguage();
  const integer = new Intl.NumberFormat(language.code, { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(language.code, { style: 'percent', maximumFractionDigits: 0 });
  const month = new Intl.DateTimeFormat(language.code, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  return {
    number: (value: number) => integer.format(value),
    cell: (value: ReturnType<Row['value']>): string => {
      if (typeof value === 'number') return integer.format(value);
      if ('lessThan' in value) return t('statistics.fewerThan', { count: integer.format(value.lessThan) });
      if ('percent' in value) return value.percent === null ? t('statistics.withheld') : percent.format(value.percent / 100);
      return value.days === null ? t('statistics.withheld') : integer.format(value.days);
    },
    period: (figures: PeriodFigures): string => {
      const quarter = /^(\d{4})-Q([1-4])$/.exec(figures.period);
      if (quarter !== null) return t('statistics.quarter', { quarter: quarter[2] ?? '', year: quarter[1] ?? '' });
      return month.format(new Date(`${figures.start}T00:00:00Z`));
    },
  };
}

function DataLinks(props: { bodyId: string | null; granularity: Granularity }) {
  const t = useT();
  return (
    <p class="data-links">
      <a href={statisticsPath(props.bodyId, props.granularity, 'json')}>{t('statistics.downloadJson')}</a>
      <a href={statisticsPath(props.bodyId, props.granularity, 'csv')} download>
        {t('statistics.downloadCsv')}
      </a>
    </p>
  );
}

function FiguresOf(props: { id: string; name: string; bodyId: string | null; periods: readonly PeriodFigures[]; minimumCount: number; granularity: Granularity }) {
  const t = useT();
  const language = useLanguage();
  const format = useFormats();
  const shown = props.periods.slice(-PERIODS_SHOWN);
  const headingId = `${props.id}-heading`;
  const captionId = `${props.id}-caption`;
  const first = shown[0];
  const last = shown.at(-1);
  return (
    <section class="statistics-body" aria-labelledby={headingId}>
      <h2 id={headingId}>{props.name}</h2>
      {first === undefined || last === undefined ? (
        <p>{t('statistics.noPeriods')}</p>
      ) : (
        <>
          <StatisticsChart
            id={`${props.id}-chart`}
            title={t('statistics.chartTitle', { body: props.name })}
            description={t('statistics.chartDescription', { first: format.period(first), last: format.period(last) })}
            periods={shown}
            minimumCount={props.minimumCount}
            rightToLeft={language.direction === 'rtl'}
            periodLabel={format.period}
            formatNumber={format.number}
          />
          <ul class="chart-legend" aria-hidden="true">
            <li>
              <span class="swatch chart-received" />
              {t('statistics.received')}
            </li>
            <li>
              <span class="swatch chart-closed-swatch" />
              {t('statistics.closed')}
            </li>
          </ul>
          {/* Focusable so that a keyboard can scroll a table wider than the screen. */}
          <div class="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
            <table>
              <caption id={captionId}>{t('statistics.tableCaption', { body: props.name })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('statistics.figure')}</th>
                  {shown.map((figures) => (
                    <th scope="col" key={figures.period}>
                      {format.period(figures)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {ROWS.map((row) => (
                  <tr key={row.label}>
                    <th scope="row">{t(row.label)}</th>
                    {shown.map((figures) => (
                      <td key={figures.period}>{format.cell(row.value(figures))}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {props.periods.length > shown.length && <p class="help">{t('statistics.olderPeriods')}</p>}
        </>
      )}
      <DataLinks bodyId={props.bodyId} granularity={props.granularity} />
    </section>
  );
}

export function StatisticsPage(props: { onBack: () => void }) {
  const t = useT();
  const [granularity, setGranularity] = useState<Granularity>('quarter');
  const [document, setDocument] = useState<StatisticsDocument | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let current = true;
    setDocument(null);
    setFailed(false);
    fetchStatistics(granularity).then(
      (fetched) => current && setDocument(fetched),
      () => current && setFailed(true),
    );
    return () => {
      current = false;
    };
  }, [granularity]);

  return (
    <section aria-labelledby="statistics-heading">
      <h1 id="statistics-heading">{t('statistics.heading')}</h1>
      <p>{t('statistics.intro')}</p>
      {document !== null && <p>{t('statistics.rules', { minimum: document.minimumCount })}</p>}
      <fieldset>
        <legend>{t('statistics.granularity')}</legend>
        {(['quarter', 'month'] as const).map((choice) => (
          <label class="choice" key={choice}>
            <input type="radio" name="granularity" value={choice} checked={granularity === choice} onChange={() => setGranularity(choice)} />
            {t(choice === 'quarter' ? 'statistics.byQuarter' : 'statistics.byMonth')}
          </label>
        ))}
      </fieldset>
      {failed && <p role="alert">{t('statistics.failed')}</p>}
      {document === null && !failed && <p>{t('statistics.loading')}</p>}
      {document !== null && document.bodies.length === 0 && <p>{t('statistics.none')}</p>}
      {document !== null && document.bodies.length > 1 && document.overall !== undefined && (
        <FiguresOf id="overall" name={t('statistics.overall')} bodyId={null} periods={document.overall.periods} minimumCount={document.minimumCount} granularity={granularity} />
      )}
      {document?.bodies.map((body) => (
        <FiguresOf key={body.id} id={`body-${body.id}`} name={body.name} bodyId={body.id} periods={body.periods} minimumCount={document.minimumCount} granularity={granularity} />
      ))}
      {document !== null && document.bodies.length > 0 && (
        <>
          <h2>{t('statistics.allData')}</h2>
          <DataLinks bodyId={null} granularity={granularity} />
        </>
      )}
      <div class="actions">
        <button type="button" onClick={props.onBack}>
          {t('review.back')}
        </button>
      </div>
    </section>
  );
}
