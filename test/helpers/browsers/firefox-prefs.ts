/**
 * The preferences a Firefox ESR profile gets in the browser tests: no connection beyond loopback,
 * and optionally Tor Browser's "Safer" security level for JavaScript.
 */

/**
 * Firefox's background services, each off (puppeteer's own profile defaults already turn off some of
 * them; naming them here keeps the list whole in one place). Everything that is not loopback is sent
 * to a proxy on a closed loopback port, so a service this list misses fails instead of going out.
 */
export const LOOPBACK_ONLY_PREFS: Readonly<Record<string, string | number | boolean>> = {
  // Updates of Firefox, its add-ons, system add-ons and search engines.
  'app.update.auto': false,
  'app.update.checkInstallTime': false,
  'app.update.disabledForTesting': true,
  'extensions.update.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'browser.search.update': false,
  // Telemetry, health report, crash reports, studies (Normandy, Shield), the ping centre.
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': '',
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'browser.crashReports.unsubmittedCheck.autoSubmit2': false,
  'app.normandy.enabled': false,
  'app.normandy.api_url': '',
  'app.shield.optoutstudies.enabled': false,
  'browser.ping-centre.telemetry': false,
  // Safe Browsing lists and lookups.
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.downloads.remote.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  // Captive portal and connectivity probes, remote settings, push, region lookup.
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'services.settings.server': 'data:,#remote-settings-off/v1',
  'dom.push.enabled': false,
  'dom.push.serverURL': '',
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  // New tab content, sponsored tiles, suggestions, translations models, geolocation.
  'browser.newtabpage.enabled': false,
  'browser.newtabpage.activity-stream.feeds.system.topstories': false,
  'browser.newtabpage.activity-stream.feeds.snippets': false,
  'browser.topsites.contile.enabled': false,
  'browser.urlbar.suggest.searches': false,
  'browser.translations.enable': false,
  'geo.enabled': false,
  'media.gmp-manager.updateEnabled': false,
  // DNS over HTTPS, and names resolved here for a SOCKS proxy.
  'network.trr.mode': 5,
  'network.proxy.socks_remote_dns': true,
  // Speculative connections and prefetching.
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.predictor.enabled': false,
  'network.http.speculative-parallel-limit': 0,
  // The backstop: a dead proxy for all but loopback, which Firefox never proxies with these settings.
  'network.proxy.type': 1,
  'network.proxy.http': '127.0.0.1',
  'network.proxy.http_port': 9,
  'network.proxy.ssl': '127.0.0.1',
  'network.proxy.ssl_port': 9,
  'network.proxy.socks': '127.0.0.1',
  'network.proxy.socks_port': 9,
  'network.proxy.allow_hijacking_localhost': false,
  'network.proxy.no_proxies_on': '',
};

/**
 * Tor Browser's "Safer" security level, its JavaScript part: no JIT compilers (Ion, Baseline), no
 * native regular expressions, no WebAssembly, no asm.js. The intake must work so.
 */
export const TOR_SAFER_JAVASCRIPT_PREFS: Readonly<Record<string, boolean>> = {
  'javascript.options.ion': false,
  'javascript.options.baselinejit': false,
  'javascript.options.native_regexp': false,
  'javascript.options.wasm': false,
  'javascript.options.asmjs': false,
};
