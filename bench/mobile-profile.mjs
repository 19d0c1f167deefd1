// The Lighthouse mobile profile as the benches and the first-paint e2e tests
// apply it through the DevTools protocol (issue 16): slow 4G (150 ms RTT,
// 1.6 Mbit/s down, 750 kbit/s up) and a CPU four times slower. Shared by
// bench/layout-shifts.mjs, bench/start-trace.mjs and
// e2e/first-paint.test.mjs, so they measure and test the same phone.

/** The browser context of a phone (390×844 CSS px, 3× density, touch). */
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

/** The network and CPU throttling of Lighthouse's mobile profile. */
export const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};
export const CPU_SLOWDOWN = 4;

/** Throttles `page` of `context`; returns its DevTools session. */
export async function throttle(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return cdp;
}

/**
 * On a list or article page, which starts the app on demand
 * (docs/performance.md), starts it as a reader does: the event focusing
 * the search box sends. Returns whether it did (false where the app starts
 * by itself).
 */
export async function startOnDemand(page) {
  if (!(await waitsForReader(page))) return false;
  await page.locator(`${ON_DEMAND} form.gk-search input[name="q"]`).dispatchEvent('focusin');
  return true;
}

const ON_DEMAND = '[data-gongkai] > .gk-app[data-start="on-demand"]';

/** Whether the page is a static page waiting for the reader to start the app. */
export async function waitsForReader(page) {
  return (await page.locator(ON_DEMAND).count()) > 0;
}

/** Waits until the app shows the page: taken over, its route loaded. */
export async function waitForAppShown(page) {
  await page.waitForFunction(
    () => document.querySelector('.gk-app[data-js="on"]') &&
      !document.querySelector('.gk-takeover[hidden]') &&
      !document.querySelector('.gk-main .gk-loading'),
    null,
    { timeout: 60_000, polling: 100 },
  );
}
