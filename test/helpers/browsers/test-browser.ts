/**
 * The browser tests' one way to drive a page, whichever browser runs it: Debian's Chromium through
 * playwright-core (./chromium.ts) or Debian's Firefox ESR through puppeteer-core over WebDriver BiDi
 * (./firefox.ts). A flow written against TestPage runs in both.
 */

export type BrowserName = 'chromium' | 'firefox';

/**
 * What a step acts on, found as a person would: a control by its role and accessible name, a form
 * field by its label, an element by its text, or by its test id (and a CSS selector inside it).
 * Names and labels match whole (`exact`) or as the start of a longer label; text matches anywhere.
 */
export type Target =
  | { readonly role: 'button' | 'heading' | 'list' | 'alert'; readonly name?: string }
  | { readonly label: string; readonly exact?: boolean }
  | { readonly text: string }
  | { readonly testId: string; readonly css?: string }
  | { readonly css: string };

/** A file the test picks in a file input, as the page will see it. */
export interface FileToPick {
  readonly name: string;
  readonly mimeType: string;
  readonly buffer: Buffer;
}

export interface PageOptions {
  /** Chromium's page language; Firefox's comes from its profile (English). */
  readonly locale?: string;
  /** Where the bodies of the page's requests are kept, to be searched for plaintext. */
  readonly requestBodies?: RequestBodies;
  /** Where each answer of status 400 or more is noted, as `<status> <method> <path>`. */
  readonly failedResponses?: string[];
  /** What else the page did, for tests that check it did nothing more: every request's address, dialog and console message. */
  readonly activity?: PageActivity;
}

/** Every request the page (and its workers) made, every dialog it opened (dismissed at once) and every console message. */
export interface PageActivity {
  readonly requestUrls: string[];
  readonly dialogs: string[];
  readonly consoleMessages: string[];
}

export function describeFailedResponse(status: number, method: string, url: string): string {
  return `${status} ${method} ${new URL(url).pathname}`;
}

export interface TestPage {
  readonly browserName: BrowserName;
  goto(url: string): Promise<void>;
  url(): string;
  click(target: Target): Promise<void>;
  fill(target: Target, value: string): Promise<void>;
  check(target: Target): Promise<void>;
  /** Chooses the option with this value, or with this visible text. */
  select(target: Target, option: { readonly value: string } | { readonly label: string }): Promise<void>;
  setFiles(target: Target, files: readonly FileToPick[]): Promise<void>;
  /** Waits until the target is shown, for `timeoutMs` at most (30 s by default). */
  waitFor(target: Target, timeoutMs?: number): Promise<void>;
  /** The text of the first match, once it is shown. */
  textOf(target: Target): Promise<string>;
  /** The texts of all matches now, without waiting. */
  textsOf(target: Target): Promise<string[]>;
  /** How many match now, without waiting. */
  count(target: Target): Promise<number>;
  /** Clicks the target and returns the file the page then saves. */
  download(target: Target): Promise<{ readonly filename: string; readonly bytes: Buffer }>;
  /** Runs `fn` in the page (outside its CSP, as the driver's own code) and returns its result. */
  evaluate<Arg, Result>(fn: (arg: Arg) => Result | Promise<Result>, arg: Arg): Promise<Result>;
  close(): Promise<void>;
}

export interface TestBrowser {
  readonly name: BrowserName;
  /** A page in a context of its own: no cookies or storage shared with other pages. */
  newPage(options?: PageOptions): Promise<TestPage>;
  /**
   * What went wrong in the pages since the last call, and forgets it: CSP violations, uncaught page
   * errors and errors logged to the console. The browser tests fail when it is not empty.
   */
  takeProblems(): string[];
  close(): Promise<void>;
}

/**
 * The bodies of the requests pages sent. Firefox hands a body over only when asked after the request
 * (WebDriver BiDi network.getData), so reading them waits for the reads still under way.
 */
export class RequestBodies {
  readonly #bodies: Buffer[] = [];
  readonly #reads = new Set<Promise<void>>();
  #unreadable = 0;

  add(body: Buffer): void {
    this.#bodies.push(body);
  }

  /** Keeps the body once `read` gives it; a body that cannot be read is counted, never skipped silently. */
  addLater(read: Promise<Buffer | undefined>): void {
    const settled = read.then(
      (body) => {
        if (body !== undefined) this.#bodies.push(body);
      },
      () => {
        this.#unreadable += 1;
      },
    );
    this.#reads.add(settled);
    void settled.finally(() => this.#reads.delete(settled));
  }

  /** Every body so far, once all reads have settled. */
  async all(): Promise<Buffer[]> {
    while (this.#reads.size > 0) await Promise.all(this.#reads);
    return [...this.#bodies];
  }

  /** Bodies the browser did not give back (a request cut off mid-body, say). */
  get unreadable(): number {
    return this.#unreadable;
  }
}

/** The message a CSP violation is logged under, so that the console collectors catch it in both browsers. */
export const CSP_VIOLATION_PREFIX = 'CSP violation:';

/**
 * Runs in every document before the page's own scripts: logs each CSP violation as a console error
 * (a violation the page's code catches, as zod's probe of `new Function` did, is otherwise silent).
 * Passed to the drivers as a function, so it is the drivers' code, which the page's CSP does not govern.
 */
export function reportCspViolations(prefix: string): void {
  document.addEventListener('securitypolicyviolation', (event) => {
    console.error(`${prefix} ${event.effectiveDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`);
  });
}

export const DEFAULT_WAIT_MS = 30_000;
