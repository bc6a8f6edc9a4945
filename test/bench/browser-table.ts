/** Renders the browser suite's results for the terminal: each side's rate and memory, and their ratio. */
import { renderTable } from './table';
import type { ChromiumRun, NodeRun, Watched } from './browser-bench';
import type { GenerationMeasurement } from './attachment-encryption';
import type { RssReport } from './rss-monitor';
import { MIB } from './suite';
import type { TabMemoryReport } from './tab-memory';

const HEADERS = ['in', 'work', 'seconds', 'MiB/s', 'peak JS heap used / total', 'peak RSS (+ above start)'] as const;
const RIGHT_ALIGNED = [false, false, true, true, true, true] as const;
const ENCRYPT = 'generate + encrypt';
const GENERATE = 'generate only';

const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;
const rate = (measurement: GenerationMeasurement) => measurement.plaintextBytes / MIB / (measurement.elapsedMs / 1000);
const rss = (report: RssReport | null) => (report === null ? 'unavailable' : `${mib(report.peakBytes)} (+${mib(report.peakBytes - report.baselineBytes)})`);

function timing(measurement: GenerationMeasurement): string[] {
  return [(measurement.elapsedMs / 1000).toFixed(2), rate(measurement).toFixed(1)];
}

function tabLine(name: string, work: string, run: Watched<GenerationMeasurement, TabMemoryReport>): string[] {
  const { memory } = run;
  return [name, work, ...timing(run.measurement), `${mib(memory.jsHeapUsedPeakBytes)} / ${mib(memory.jsHeapTotalPeakBytes)}`, rss(memory.renderer)];
}

function nodeLine(name: string, work: string, run: Watched<GenerationMeasurement, RssReport>): string[] {
  return [name, work, ...timing(run.measurement), '-', rss(run.memory)];
}

function ratioLine(work: string, chromium: GenerationMeasurement, node: GenerationMeasurement): string[] {
  return ['Chromium / Node', work, '', `${(rate(chromium) / rate(node)).toFixed(2)}x`, '', ''];
}

function render(lines: readonly (readonly string[])[]): string {
  return renderTable(HEADERS, RIGHT_ALIGNED, lines.slice(1));
}

function memoryNote(memory: TabMemoryReport): string {
  const { renderer } = memory;
  const heap = `JS heap: highest of ${memory.heapSamples} Performance.getMetrics samples (ArrayBuffer contents are not in it).`;
  if (renderer === null) return `${heap}\nRenderer RSS: no renderer process could be read.`;
  const highWater = `VmHWM ${mib(renderer.maxRssBytes)} (${renderer.maxRssScope === 'run' ? 'reset at the start' : 'whole process, not counted'})`;
  return [
    heap,
    `Renderer RSS: pid ${renderer.pid}, the renderer that used the most CPU; highest of ${renderer.samples} VmRSS samples ${mib(renderer.sampledPeakBytes)}, ${highWater}.`,
  ].join('\n');
}

export function formatBrowserTable(chromium: ChromiumRun, node: NodeRun): string {
  const chromiumName = `Chromium ${chromium.version} tab`;
  const nodeName = `Node ${process.version}`;
  const table = render([
    [...HEADERS],
    tabLine(chromiumName, ENCRYPT, chromium.encryption),
    nodeLine(nodeName, ENCRYPT, node.encryption),
    ratioLine(ENCRYPT, chromium.encryption.measurement, node.encryption.measurement),
    tabLine(chromiumName, GENERATE, chromium.generation),
    nodeLine(nodeName, GENERATE, node.generation),
    ratioLine(GENERATE, chromium.generation.measurement, node.generation.measurement),
  ]);
  return [
    `${mib(chromium.encryption.measurement.plaintextBytes)} of the same generated data (Web Crypto AES-CTR, 64 KiB pieces), encrypted`,
    'with encryptAttachment to the same Curve25519 recipient, the ciphertext counted and dropped.',
    '"generate only" is the input alone: the part of the time, and of the memory, that is not encryption.',
    '',
    table,
    '',
    'Chromium during the encryption:',
    memoryNote(chromium.encryption.memory),
  ].join('\n');
}
