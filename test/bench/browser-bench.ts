/**
 * The browser suite: the same generated attachment encrypted by the crypto core in headless Chromium
 * and in Node, to the same recipient, with the tab's memory watched; their throughputs side by side.
 */
import {
  checkRecipientKey,
  deriveCaseKeys,
  generateCaseToken,
  generateInvestigatorKey,
  newAttachmentId,
  type AttachmentBinding,
} from '../../crypto/index';
import { launchChromium } from '../helpers/browser';
import {
  measureAttachmentEncryption,
  measureGeneration,
  type EncryptionMeasurement,
  type GenerationMeasurement,
} from './attachment-encryption';
import { buildAndServePage } from './browser-page';
import { PAGE_API_GLOBAL, type EncryptionRequest, type PageApi } from './browser/page-api';
import { formatBrowserTable } from './browser-table';
import { startRssMonitor, type RssReport } from './rss-monitor';
import { MIB, timedRow, type BenchCheck, type BenchSuite } from './suite';
import { startTabMemoryMonitor, type TabMemoryReport } from './tab-memory';

const DEFAULT_PLAINTEXT_MIB = 256;
const PLAINTEXT_MIB_VARIABLE = 'CANDOR_BENCH_BROWSER_MIB';
/** Encrypted, unmeasured, before each side's run, so that the run measures JIT-compiled code and a parsed key. */
const WARMUP_BYTES = 4 * MIB;
const SAMPLE_INTERVAL_MS = 100;
const PAGE_READY_TIMEOUT_MS = 30_000;

function plaintextSize(): number {
  const raw = process.env[PLAINTEXT_MIB_VARIABLE];
  if (raw === undefined || raw === '') return DEFAULT_PLAINTEXT_MIB * MIB;
  const mib = Number(raw);
  if (!Number.isSafeInteger(mib) || mib < 1) {
    throw new RangeError(`${PLAINTEXT_MIB_VARIABLE} must be a whole number of MiB, at least 1; it is "${raw}".`);
  }
  return mib * MIB;
}

/** What both sides encrypt to: one public key, one binding, passed to the page as strings. */
interface Workload {
  readonly armoredPublicKey: string;
  readonly binding: AttachmentBinding;
  readonly plaintextBytes: number;
}

/** A measurement and the memory watched while it ran. */
export interface Watched<M, R> {
  readonly measurement: M;
  readonly memory: R;
}

export interface ChromiumRun {
  readonly version: string;
  readonly encryption: Watched<EncryptionMeasurement, TabMemoryReport>;
  readonly generation: Watched<GenerationMeasurement, TabMemoryReport>;
}

export interface NodeRun {
  readonly encryption: Watched<EncryptionMeasurement, RssReport>;
  readonly generation: Watched<GenerationMeasurement, RssReport>;
}

async function watched<M, R>(start: () => Promise<{ stop(): R | Promise<R> }>, work: () => Promise<M>): Promise<Watched<M, R>> {
  const monitor = await start();
  let measurement: M;
  try {
    measurement = await work();
  } catch (error) {
    // The work's failure is the one to report; the monitor's, if any, follows from it.
    await (async () => monitor.stop())().catch(() => undefined);
    throw error;
  }
  return { measurement, memory: await monitor.stop() };
}

function withPageErrors(error: unknown, pageErrors: readonly string[]): unknown {
  if (pageErrors.length === 0) return error;
  return new Error(`The page reported: ${pageErrors.join(' | ')}`, { cause: error });
}

async function runInChromium(pageUrl: string, workload: Workload, progress: (message: string) => void): Promise<ChromiumRun> {
  const launched = await launchChromium();
  try {
    const page = await launched.browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    // The functions given to page.evaluate run in the page: they can use nothing but their arguments.
    const encrypt = (plaintextBytes: number): Promise<EncryptionMeasurement> => {
      const request: EncryptionRequest = {
        armoredPublicKey: workload.armoredPublicKey,
        plaintextBytes,
        caseId: workload.binding.caseId,
        attachmentId: workload.binding.attachmentId,
      };
      return page.evaluate(
        ([name, pageRequest]) => (globalThis as unknown as Record<string, PageApi>)[name]!.measureEncryption(pageRequest),
        [PAGE_API_GLOBAL, request] as const,
      );
    };
    const generate = (plaintextBytes: number): Promise<GenerationMeasurement> =>
      page.evaluate(
        ([name, bytes]) => (globalThis as unknown as Record<string, PageApi>)[name]!.measureGeneration(bytes),
        [PAGE_API_GLOBAL, plaintextBytes] as const,
      );
    const watchTab = () => startTabMemoryMonitor(launched.browser, page, SAMPLE_INTERVAL_MS);

    try {
      await page.goto(pageUrl);
      await page.waitForFunction((name) => name in globalThis, PAGE_API_GLOBAL, { timeout: PAGE_READY_TIMEOUT_MS });
      progress('warming up in Chromium');
      await encrypt(WARMUP_BYTES);
      progress(`encrypting ${workload.plaintextBytes / MIB} MiB in Chromium`);
      const encryption = await watched(watchTab, () => encrypt(workload.plaintextBytes));
      progress(`generating ${workload.plaintextBytes / MIB} MiB in Chromium, without encrypting it`);
      const generation = await watched(watchTab, () => generate(workload.plaintextBytes));
      return { version: launched.browser.version(), encryption, generation };
    } catch (error) {
      throw withPageErrors(error, pageErrors);
    }
  } finally {
    await launched.close();
  }
}

async function runInNode(workload: Workload, progress: (message: string) => void): Promise<NodeRun> {
  const recipient = await checkRecipientKey(workload.armoredPublicKey);
  const watchProcess = () => startRssMonitor(SAMPLE_INTERVAL_MS);
  progress('warming up in Node');
  await measureAttachmentEncryption(WARMUP_BYTES, recipient, workload.binding);
  progress(`encrypting ${workload.plaintextBytes / MIB} MiB in Node`);
  const encryption = await watched(watchProcess, () => measureAttachmentEncryption(workload.plaintextBytes, recipient, workload.binding));
  progress(`generating ${workload.plaintextBytes / MIB} MiB in Node, without encrypting it`);
  const generation = await watched(watchProcess, () => measureGeneration(workload.plaintextBytes));
  return { encryption, generation };
}

function sizeCheck(workload: Workload, chromium: ChromiumRun, node: NodeRun): BenchCheck {
  const requested = workload.plaintextBytes;
  const generated = [chromium, node].map((run) => run.generation.measurement.plaintextBytes);
  const written = [chromium, node].map((run) => run.encryption.measurement.ciphertextBytes);
  const same = generated.every((bytes) => bytes === requested) && written[0] === written[1];
  return {
    name: 'same ciphertext length',
    outcome: same ? 'pass' : 'fail',
    detail: same
      ? `Chromium and Node both wrote ${written[0]} bytes for ${requested}`
      : `for ${requested} bytes, Chromium generated ${generated[0]} and wrote ${written[0]}, Node generated ${generated[1]} and wrote ${written[1]}`,
  };
}

const rate = (measurement: GenerationMeasurement) => measurement.plaintextBytes / MIB / (measurement.elapsedMs / 1000);

function rssMetrics(prefix: string, report: RssReport | null): Record<string, number | string> {
  if (report === null) return {};
  return {
    [`${prefix}RssBaselineBytes`]: report.baselineBytes,
    [`${prefix}RssSampledPeakBytes`]: report.sampledPeakBytes,
    [`${prefix}RssSamples`]: report.samples,
    [`${prefix}MaxRssBytes`]: report.maxRssBytes,
    [`${prefix}MaxRssScope`]: report.maxRssScope,
    [`${prefix}PeakRssBytes`]: report.peakBytes,
  };
}

function tabMetrics(prefix: string, memory: TabMemoryReport): Record<string, number | string> {
  return {
    [`${prefix}JsHeapUsedPeakBytes`]: memory.jsHeapUsedPeakBytes,
    [`${prefix}JsHeapTotalPeakBytes`]: memory.jsHeapTotalPeakBytes,
    [`${prefix}JsHeapSamples`]: memory.heapSamples,
    ...(memory.renderer === null ? {} : { [`${prefix}RendererPid`]: memory.renderer.pid }),
    ...rssMetrics(`${prefix}Renderer`, memory.renderer),
  };
}

export const browserSuite: BenchSuite = {
  name: 'browser',
  async run(progress) {
    // Read first, so that a mistyped size fails at once rather than after the key and the build.
    const plaintextBytes = plaintextSize();
    progress('generating an investigator key');
    const generated = await generateInvestigatorKey({ name: 'Benchmark Investigator', passphrase: 'benchmark passphrase' });
    const { caseId } = await deriveCaseKeys(generateCaseToken());
    const workload: Workload = { armoredPublicKey: generated.armoredPublicKey, binding: { caseId, attachmentId: newAttachmentId() }, plaintextBytes };

    // Node first, while neither the build's memory nor a browser is there beside it.
    const node = await runInNode(workload, progress);
    progress('building the benchmark page with Vite');
    const page = await buildAndServePage();
    let chromium: ChromiumRun;
    try {
      chromium = await runInChromium(page.url, workload, progress);
    } finally {
      await page.close();
    }

    const row = (operation: string, measurement: GenerationMeasurement) =>
      timedRow({ operation, sizeBytes: plaintextBytes, iterations: 1, rateUnit: 'MiB/s' }, [measurement.elapsedMs]);
    return {
      rows: [
        row('encryptAttachment in Chromium', chromium.encryption.measurement),
        row('encryptAttachment in Node', node.encryption.measurement),
        row('generation only in Chromium', chromium.generation.measurement),
        row('generation only in Node', node.generation.measurement),
      ],
      table: formatBrowserTable(chromium, node),
      checks: [sizeCheck(workload, chromium, node)],
      metrics: {
        chromiumVersion: chromium.version,
        plaintextBytes,
        chromiumCiphertextBytes: chromium.encryption.measurement.ciphertextBytes,
        nodeCiphertextBytes: node.encryption.measurement.ciphertextBytes,
        chromiumMibPerSecond: rate(chromium.encryption.measurement),
        nodeMibPerSecond: rate(node.encryption.measurement),
        chromiumToNodeRatio: rate(chromium.encryption.measurement) / rate(node.encryption.measurement),
        chromiumGenerationMibPerSecond: rate(chromium.generation.measurement),
        nodeGenerationMibPerSecond: rate(node.generation.measurement),
        ...tabMetrics('chromiumEncryption', chromium.encryption.memory),
        ...tabMetrics('chromiumGeneration', chromium.generation.memory),
        ...rssMetrics('nodeEncryption', node.encryption.memory),
        ...rssMetrics('nodeGeneration', node.generation.memory),
      },
    };
  },
};
