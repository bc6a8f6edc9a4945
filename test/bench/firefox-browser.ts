/**
 * Firefox ESR for the Firefox suite, as the browser tests launch it (test/helpers/browsers/: a fresh
 * profile, nothing but loopback, standard or Tor Browser's "Safer" JavaScript settings), and the
 * resident memory of the content process that runs the page, read from /proc (Linux only).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser } from 'puppeteer-core';
import { launchPuppeteerFirefox } from '../helpers/browsers/firefox';
import { startProcessRssMonitor } from './process-rss';
import type { RssMonitor, RssReport } from './rss-monitor';

export type FirefoxPrefSet = 'standard' | 'safer';

export function launchFirefox(prefSet: FirefoxPrefSet): Promise<Browser> {
  return launchPuppeteerFirefox({ safer: prefSet === 'safer' });
}

/** CPU seconds (user + system) of a process, from /proc/<pid>/stat. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces; the fields after it are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Firefox's content processes for web pages: descendants of the browser started with `-isForBrowser`. */
function contentProcesses(browserPid: number): number[] {
  const parents = new Map<number, number>();
  const commands = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parents.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      commands.set(pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    } catch {
      // Exited while listed.
    }
  }
  const descends = (pid: number): boolean => {
    for (let at = parents.get(pid); at !== undefined && at > 1; at = parents.get(at)) if (at === browserPid) return true;
    return false;
  };
  return [...commands].filter(([pid, command]) => command.includes('-isForBrowser') && descends(pid)).map(([pid]) => pid);
}

export interface TabMemory extends RssReport {
  readonly pid: number;
}

/**
 * Watches every web content process and, when stopped, reports the one that used the most CPU: the
 * page under test is busy for the whole run, any other (a preallocated spare) idles. Nothing in
 * Firefox maps a tab to its process for an outside observer, and BiDi offers no memory figures.
 */
export function startTabMemoryWatch(browser: Browser, intervalMs: number): { stop(): TabMemory } {
  const browserPid = browser.process()?.pid;
  if (browserPid === undefined) throw new Error('The Firefox process is not ours to watch.');
  const watches: { pid: number; ticks: number; monitor: RssMonitor }[] = [];
  for (const pid of contentProcesses(browserPid)) {
    try {
      watches.push({ pid, ticks: cpuTicks(pid), monitor: startProcessRssMonitor(pid, intervalMs) });
    } catch {
      // Exited since it was listed.
    }
  }
  return {
    stop() {
      let busiest: { pid: number; ticks: number; report: RssReport } | null = null;
      for (const watch of watches) {
        try {
          const ticks = cpuTicks(watch.pid) - watch.ticks;
          const report = watch.monitor.stop();
          if (busiest === null || ticks > busiest.ticks) busiest = { pid: watch.pid, ticks, report };
        } catch {
          // Exited: not the page's, which would have failed the run.
        }
      }
      if (busiest === null) throw new Error('No Firefox content process could be watched.');
      return { ...busiest.report, pid: busiest.pid };
    },
  };
}
