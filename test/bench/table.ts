/** Renders a suite's rows as a plain-text table for the terminal. */
import { mibPerSecond, MIB, opsPerSecond, type BenchRow } from './suite';

const KIB = 1024;

function formatSize(bytes: number | null): string {
  if (bytes === null) return '-';
  if (bytes >= MIB) return `${Number((bytes / MIB).toFixed(2))} MiB`;
  if (bytes >= KIB) return `${Number((bytes / KIB).toFixed(2))} KiB`;
  return `${bytes} B`;
}

function formatRate(row: BenchRow): string {
  const rate = row.rateUnit === 'MiB/s' ? mibPerSecond(row) : opsPerSecond(row);
  if (rate === null) return '-';
  return `${rate.toFixed(rate < 100 ? 1 : 0)} ${row.rateUnit}`;
}

const HEADERS = ['operation', 'size', 'iterations', 'mean ms', 'ops/s or MiB/s'] as const;
// Text left, numbers right, so that digits line up.
const RIGHT_ALIGNED = [false, true, true, true, true] as const;

export function formatTable(rows: readonly BenchRow[]): string {
  const cells = rows.map((row) => [
    row.operation,
    formatSize(row.sizeBytes),
    String(row.iterations),
    row.meanMs.toFixed(row.meanMs < 10 ? 3 : 1),
    formatRate(row),
  ]);
  return renderTable(HEADERS, RIGHT_ALIGNED, cells);
}

/** A header line, a rule, then the rows; columns padded to their widest cell, numbers right-aligned. */
export function renderTable(headers: readonly string[], rightAligned: readonly boolean[], rows: readonly (readonly string[])[]): string {
  const lines = [headers, ...rows];
  const widths = headers.map((_, column) => Math.max(...lines.map((line) => (line[column] ?? '').length)));
  const render = (line: readonly string[]) =>
    line
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return rightAligned[column] === true ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [render(headers), rule, ...rows.map(render)].join('\n');
}
