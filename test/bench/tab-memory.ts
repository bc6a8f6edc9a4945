/**
 * Watches the memory of a Chromium tab while it runs a benchmark: the page's JS heap through the
 * DevTools protocol, and the resident set of the renderer process through /proc (Linux only).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { startProcessRssMonitor } from './process-rss';
import type { RssMonitor, RssReport } from './rss-monitor';

export interface TabMemoryReport {
  /** Highest JSHeapUsedSize of Performance.getMetrics: live objects and not yet collected garbage. */
  readonly jsHeapUsedPeakBytes: number;
  /** Highest JSHeapTotalSize: what V8 had reserved for the heap. */
  readonly jsHeapTotalPeakBytes: number;
  /** The page answers between two tasks only, so a long task means fewer samples than the interval suggests. */
  readonly heapSamples: number;
  /** Null if no renderer could be watched (not Linux, or the process could not be read). */
  readonly renderer: (RssReport & { readonly pid: number }) | null;
}

export interface TabMemoryMonitor {
  stop(): Promise<TabMemoryReport>;
}

interface RendererWatch {
  readonly pid: number;
  readonly cpuSeconds: number;
  readonly monitor: RssMonitor;
}

async function rendererCpuSeconds(browserSession: CDPSession): Promise<Map<number, number>> {
  const { processInfo } = await browserSession.send('SystemInfo.getProcessInfo');
  return new Map(processInfo.filter((info) => info.type === 'renderer').map((info) => [info.id, info.cpuTime]));
}

/**
 * Nothing maps a page to its renderer's pid, and a headless browser runs several renderers (its own
 * UI pages, a spare one). So every renderer is watched, and the one that used the most CPU during
 * the run is reported: the page under test is busy for the whole run, the others idle.
 */
async function watchRenderers(browserSession: CDPSession, intervalMs: number): Promise<RendererWatch[]> {
  const watches: RendererWatch[] = [];
  for (const [pid, cpuSeconds] of await rendererCpuSeconds(browserSession)) {
    try {
      watches.push({ pid, cpuSeconds, monitor: startProcessRssMonitor(pid, intervalMs) });
    } catch {
      // Exited since it was listed, or /proc is not there to read: nothing to watch.
    }
  }
  return watches;
}

/** Stops every watch, and reports the renderer that used the most CPU since it was listed. */
function stopWatches(watches: readonly RendererWatch[], cpuAfter: ReadonlyMap<number, number>): TabMemoryReport['renderer'] {
  let busiest: { pid: number; cpuSeconds: number; report: RssReport } | null = null;
  for (const watch of watches) {
    let report: RssReport;
    try {
      report = watch.monitor.stop();
    } catch {
      // Its process has exited, so it was not the page's: a renderer that crashed fails the run anyway.
      continue;
    }
    const cpuSeconds = (cpuAfter.get(watch.pid) ?? watch.cpuSeconds) - watch.cpuSeconds;
    if (busiest === null || cpuSeconds > busiest.cpuSeconds) busiest = { pid: watch.pid, cpuSeconds, report };
  }
  return busiest === null ? null : { ...busiest.report, pid: busiest.pid };
}

export async function startTabMemoryMonitor(browser: Browser, page: Page, intervalMs: number): Promise<TabMemoryMonitor> {
  const pageSession = await page.context().newCDPSession(page);
  const browserSession = await browser.newBrowserCDPSession();
  let jsHeapUsedPeakBytes = 0;
  let jsHeapTotalPeakBytes = 0;
  let heapSamples = 0;
  const sampleHeap = async () => {
    const { metrics } = await pageSession.send('Performance.getMetrics');
    const value = (name: string) => metrics.find((metric) => metric.name === name)?.value ?? 0;
    jsHeapUsedPeakBytes = Math.max(jsHeapUsedPeakBytes, value('JSHeapUsedSize'));
    jsHeapTotalPeakBytes = Math.max(jsHeapTotalPeakBytes, value('JSHeapTotalSize'));
    heapSamples++;
  };

  // Collected first, so that the run starts from live memory rather than garbage of the page's loading.
  await pageSession.send('HeapProfiler.collectGarbage');
  await pageSession.send('Performance.enable');
  await sampleHeap();
  const watches = await watchRenderers(browserSession, intervalMs);
  let stopped = false;
  let samplingError: unknown = null;
  // One request at a time: a busy page answers late, and overlapping requests would only queue up.
  const sampling = (async () => {
    try {
      while (!stopped) {
        await delay(intervalMs);
        await sampleHeap();
      }
    } catch (error) {
      samplingError = error;
    }
  })();

  return {
    async stop() {
      stopped = true;
      try {
        await sampling;
        const cpuAfter = await rendererCpuSeconds(browserSession).catch(() => new Map<number, number>());
        const renderer = stopWatches(watches, cpuAfter);
        if (samplingError !== null) throw samplingError;
        await sampleHeap();
        return { jsHeapUsedPeakBytes, jsHeapTotalPeakBytes, heapSamples, renderer };
      } finally {
        await Promise.allSettled([pageSession.detach(), browserSession.detach()]);
      }
    },
  };
}
