import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

/** Debian's chromium (`.ci/run` installs it); no tool ever downloads a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export const hasChromium = existsSync(CHROMIUM_PATH);

export interface OpenedPage {
  readonly browser: Browser;
  readonly page: Page;
  readonly fileUrl: string;
  /** Every URL the page asked for (a self-contained page asks only for itself). */
  readonly requests: string[];
  /** Console errors and uncaught page errors. */
  readonly errors: string[];
}

/** Opens a local HTML file in headless Chromium, recording requests and errors; the caller closes `browser`. */
export async function openFileInChromium(file: string): Promise<OpenedPage> {
  const fileUrl = pathToFileURL(file).href;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
    await page.goto(fileUrl, { waitUntil: 'load' });
    return { browser, page, fileUrl, requests, errors };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
