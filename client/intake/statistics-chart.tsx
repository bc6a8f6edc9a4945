/**
 * Reports received and cases closed per period as bars, drawn as SVG by Preact: no chart library and
 * no inline style (colours come from styles.css, so the strict CSP holds). The SVG is one image for
 * assistive technology; the table beside it carries the same figures.
 */
import type { PeriodFigures, PublishedCount } from '../../protocol/statistics';

const WIDTH = 640;
const HEIGHT = 240;
const MARGIN = { top: 24, right: 12, bottom: 36, left: 44 };
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom;

export interface ChartProps {
  /** Unique in the page: prefixes the ids of the title, description and stripe pattern. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly periods: readonly PeriodFigures[];
  readonly minimumCount: number;
  readonly rightToLeft: boolean;
  readonly periodLabel: (period: PeriodFigures) => string;
  readonly formatNumber: (value: number) => string;
}

const valueOf = (count: PublishedCount): number | null => (typeof count === 'number' ? count : null);

/** A round top for the scale, at least twice the minimum so that small bars stay visible. */
function scaleTop(periods: readonly PeriodFigures[], minimumCount: number): number {
  const largest = Math.max(2 * minimumCount, ...periods.flatMap((p) => [valueOf(p.received) ?? 0, valueOf(p.closed.total) ?? 0]));
  const step = 10 ** Math.floor(Math.log10(largest));
  return Math.ceil(largest / step) * step;
}

interface BarProps {
  readonly x: number;
  readonly width: number;
  readonly count: PublishedCount;
  readonly top: number;
  readonly className: string;
  /** A paint server such as `url(#stripes)`; otherwise the class gives the colour. */
  readonly fill?: string;
  readonly hiddenLabel: string;
  readonly formatNumber: (value: number) => string;
}

function Bar(props: BarProps) {
  const value = valueOf(props.count);
  const baseline = MARGIN.top + PLOT_HEIGHT;
  const labelX = props.x + props.width / 2;
  if (value === null) {
    // A hidden count gets no bar: its height would suggest a value the figures do not give.
    return (
      <text class="chart-label" x={labelX} y={baseline - 4} text-anchor="middle">
        {props.hiddenLabel}
      </text>
    );
  }
  const height = (value / props.top) * PLOT_HEIGHT;
  return (
    <g>
      <rect class={props.className} x={props.x} y={baseline - height} width={props.width} height={height} {...(props.fill === undefined ? {} : { fill: props.fill })} />
      <text class="chart-label" x={labelX} y={baseline - height - 4} text-anchor="middle">
        {props.formatNumber(value)}
      </text>
    </g>
  );
}

export function StatisticsChart(props: ChartProps) {
  const top = scaleTop(props.periods, props.minimumCount);
  const slot = PLOT_WIDTH / Math.max(1, props.periods.length);
  const barWidth = Math.min(28, slot / 3);
  const hiddenLabel = `<${props.formatNumber(props.minimumCount)}`;
  const titleId = `${props.id}-title`;
  const descriptionId = `${props.id}-description`;
  const stripesId = `${props.id}-stripes`;
  const baseline = MARGIN.top + PLOT_HEIGHT;
  return (
    <svg class="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${titleId} ${descriptionId}`} direction="ltr">
      <title id={titleId}>{props.title}</title>
      <desc id={descriptionId}>{props.description}</desc>
      <defs>
        {/* Closed cases are striped as well as coloured, so the two series differ without colour. */}
        <pattern id={stripesId} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect class="chart-closed" width="6" height="6" />
          <line class="chart-stripe" x1="0" y1="0" x2="0" y2="6" />
        </pattern>
      </defs>
      {[0, top / 2, top].map((tick) => {
        const y = baseline - (tick / top) * PLOT_HEIGHT;
        return (
          <g key={tick}>
            <line class="chart-grid" x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y} y2={y} />
            <text class="chart-label" x={MARGIN.left - 6} y={y + 4} text-anchor="end">
              {props.formatNumber(tick)}
            </text>
          </g>
        );
      })}
      {props.periods.map((period, index) => {
        // Time runs the way the page reads: right to left in Arabic.
        const position = props.rightToLeft ? props.periods.length - 1 - index : index;
        const center = MARGIN.left + slot * position + slot / 2;
        return (
          <g key={period.period}>
            <Bar x={center - barWidth - 1} width={barWidth} count={period.received} top={top} className="chart-received" hiddenLabel={hiddenLabel} formatNumber={props.formatNumber} />
            <Bar x={center + 1} width={barWidth} count={period.closed.total} top={top} className="chart-closed-bar" fill={`url(#${stripesId})`} hiddenLabel={hiddenLabel} formatNumber={props.formatNumber} />
            <text class="chart-label" x={center} y={baseline + 20} text-anchor="middle">
              {props.periodLabel(period)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
