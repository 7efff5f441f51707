// minsheng end to end, as people use it, in a real headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core; no browser is downloaded).
//
//   node crates/web/e2e/flow.mjs BASE_URL [OUT_DIR] --bad BAD.xlsx --good GOOD.xlsx --expect VALUE
//
// BASE_URL is a `minsheng serve` on a fresh store with the demo accounts (password
// minsheng-demo). crates/cli/tests/e2e.rs starts the server, writes the two workbooks (one
// bad cell / corrected) and runs this; it reads the store afterwards to prove the bad file
// saved nothing. The flow:
//   chuxiong-city (楚雄市 reporter): refused 禄丰市's form (403, 无权); on 楚雄市 2026Q1
//     downloads the template, uploads the bad workbook (errors listed, 未导入), the
//     corrected one (saved), submits it for review;
//   chuxiong-review (楚雄州): approves it in the review queue;
//   fgw (plan owner): publishes it;
//   signed out: /public links to /public/data/532301/2026Q1, which shows VALUE.
// Screenshots of the main pages at 1366×768 and 390×844 go to OUT_DIR (default
// target/e2e-screenshots; with E2E_FULL_PAGE=1 also whole-page ones); pages that do not
// answer 200 are skipped with a note. Any failed
// step prints what the page showed, saves FAIL-<step>.png and exits 1.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const REGION = '532301';
const OTHER_REGION = '532302'; // 禄丰市: not chuxiong-city's
const PERIOD = '2026Q1';
const PASSWORD = 'minsheng-demo';
const SIZES = [
  { tag: '1366', width: 1366, height: 768 },
  { tag: '390', width: 390, height: 844 },
];

// ---- arguments -----------------------------------------------------------------------
const positional = [];
const opts = {};
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a.startsWith('--')) opts[a.slice(2)] = process.argv[++i];
  else positional.push(a);
}
const base = (positional[0] || '').replace(/\/$/, '');
const outDir = positional[1] || 'target/e2e-screenshots';
if (!base || !opts.bad || !opts.good || !opts.expect) {
  console.error('usage: node flow.mjs BASE_URL [OUT_DIR] --bad BAD.xlsx --good GOOD.xlsx --expect VALUE');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

// ---- the browser ---------------------------------------------------------------------
// playwright starts Chromium with a fresh temporary --user-data-dir of its own.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
    '--lang=zh-CN', // the browser's own words (file picker) in Chinese, as users have them
  ],
});
const context = await browser.newContext({
  viewport: { width: 1366, height: 768 },
  locale: 'zh-CN',
  acceptDownloads: true,
});
// A debug build computes the overview's statuses on its first request for tens of seconds.
const NAVIGATION_TIMEOUT = 180_000;
context.setDefaultTimeout(30_000);
context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT);
const page = await context.newPage();
const notes = [];
page.on('pageerror', (e) => notes.push(`script error on ${page.url()}: ${e.message}`));
page.on('response', (r) => {
  if (r.status() >= 400 && r.request().resourceType() !== 'document') {
    notes.push(`${r.url()} answered ${r.status()} (on ${page.url()})`);
  }
});
page.on('console', (m) => {
  if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
    notes.push(`console error on ${page.url()}: ${m.text()}`);
  }
});

let current = 'start';
let stepNo = 0;
const t0 = Date.now();

async function step(name, fn) {
  current = name;
  stepNo += 1;
  const t = Date.now();
  await fn();
  console.log(`ok   ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}

function fail(message) {
  throw new Error(message);
}

async function bodyText() {
  return (await page.locator('body').innerText().catch(() => '')).replace(/\s+/g, ' ');
}

async function goto(url, want = 200) {
  const res = await page.goto(base + url);
  const status = res ? res.status() : 0;
  if (want !== null && status !== want) {
    fail(`${url} answered ${status}, expected ${want}: ${(await bodyText()).slice(0, 300)}`);
  }
  return status;
}

/// Clicks something that submits a form and waits for the page it leads to.
async function submit(locator) {
  await Promise.all([
    page.waitForEvent('framenavigated', {
      predicate: (f) => f === page.mainFrame(),
      timeout: NAVIGATION_TIMEOUT,
    }),
    locator.click({ timeout: NAVIGATION_TIMEOUT }),
  ]);
  await page.waitForLoadState('load');
}

async function expectNoAlert(what) {
  if (await page.locator('p.alert').count()) {
    fail(`${what}: the page shows an alert: ${await page.locator('p.alert').first().innerText()}`);
  }
}

async function shot(name) {
  // Charts are drawn by app.js after load (ECharts, SVG); wait for them and their animation.
  const charts = await page.locator('.chart[data-option]').count();
  if (charts) {
    const drawn = await page
      .waitForFunction(
        (n) => document.querySelectorAll('.chart[data-option] svg').length >= n,
        charts,
        { timeout: 5_000 },
      )
      .then(() => true)
      .catch(() => false);
    if (!drawn) notes.push(`${name}: ${charts} chart(s) not drawn within 5 s`);
    await page.waitForTimeout(1_200);
  }
  for (const s of SIZES) {
    await page.setViewportSize({ width: s.width, height: s.height });
    await page.waitForTimeout(150); // let charts re-lay-out
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 1) notes.push(`${name} at ${s.width}px: the page is ${overflow}px wider than the screen`);
    await page.screenshot({ path: path.join(outDir, `${name}-${s.tag}.png`) });
    if (process.env.E2E_FULL_PAGE) {
      await page.screenshot({ path: path.join(outDir, `${name}-${s.tag}-full.png`), fullPage: true });
    }
  }
  await page.setViewportSize({ width: SIZES[0].width, height: SIZES[0].height });
}

/// A screenshot of a page other helpers may not have built yet: skipped unless it is 200.
async function tryShot(name, url) {
  if (!url) {
    console.log(`note ${name}: no page found to show; skipped`);
    return;
  }
  const res = await page.goto(base + url);
  const status = res ? res.status() : 0;
  if (status !== 200) {
    console.log(`note ${name}: ${url} answered ${status}; no screenshot`);
    return;
  }
  await page.waitForLoadState('load');
  await shot(name);
  console.log(`shot ${name}: ${url}`);
}

/// The first link on `listUrl` whose address starts with `prefix` (and goes deeper).
async function firstLink(listUrl, prefix) {
  const res = await page.goto(base + listUrl);
  if (!res || res.status() !== 200) return null;
  const hrefs = await page
    .locator(`a[href^="${prefix}"]`)
    .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  return hrefs.find((h) => h.length > prefix.length) || null;
}

async function signIn(username) {
  await goto('/login');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await submit(page.locator('form[action="/login"] button[type=submit]'));
  await expectNoAlert(`signing in as ${username}`);
  if (new URL(page.url()).pathname === '/login') fail(`still on the login page after signing in as ${username}`);
  if (!(await page.locator('form[action="/logout"]').count())) fail(`no sign-out button after signing in as ${username}`);
}

async function signOut() {
  await submit(page.locator('form[action="/logout"] button'));
  if (await page.locator('form[action="/logout"]').count()) fail('still signed in after signing out');
}

function reviewRow() {
  return page.locator(`tr[data-region="${REGION}"][data-period="${PERIOD}"]`);
}

// ---- the flow ------------------------------------------------------------------------
try {
  await step('signed out, a page sends to the login page', async () => {
    await goto('/');
    if (new URL(page.url()).pathname !== '/login') fail(`/ did not lead to /login but to ${page.url()}`);
    await shot('login');
  });

  await step('chuxiong-city signs in; overview', async () => {
    await signIn('chuxiong-city');
    await goto('/');
    await shot('overview');
  });

  await step('main pages (screenshots)', async () => {
    await tryShot('plan', await firstLink('/plans', '/plans/'));
    await tryShot('indicator', (await firstLink('/indicators', '/indicators/')) || `/indicators/${opts.indicator || ''}`);
    await tryShot('region', `/regions/${REGION}`);
    await tryShot('tasks', '/tasks');
  });

  await step('chuxiong-city is refused 禄丰市', async () => {
    await goto(`/reporting/${OTHER_REGION}/${PERIOD}`, 403);
    const text = await bodyText();
    if (!text.includes('无权')) fail(`the refusal does not say 无权: ${text.slice(0, 300)}`);
  });

  await step('the reporting form offers the template', async () => {
    await goto(`/reporting/${REGION}/${PERIOD}`);
    const download = page.waitForEvent('download');
    await page.click('#download-template');
    const file = await download;
    const saved = path.join(outDir, 'template-downloaded.xlsx');
    await file.saveAs(saved);
    const head = fs.readFileSync(saved).subarray(0, 2).toString('latin1');
    if (head !== 'PK') fail(`the downloaded template is not an xlsx (starts with ${JSON.stringify(head)})`);
  });

  await step('a workbook with a bad cell is refused, its errors listed', async () => {
    await page.setInputFiles('#upload-file', opts.bad);
    await submit(page.locator('#upload-submit'));
    const errors = page.locator('table.validation-errors');
    if (!(await errors.count())) fail(`no table.validation-errors after the bad upload: ${(await bodyText()).slice(0, 400)}`);
    if (!(await page.locator('p.alert').count())) fail('no p.alert after the bad upload');
    const text = await errors.first().innerText();
    if (!text.includes('九十')) fail(`the error table does not name the bad cell's 九十: ${text.slice(0, 300)}`);
    if (await page.locator('p.notice').count()) fail('a p.notice (saved) shows after the bad upload');
    await shot('reporting');
  });

  await step('the corrected workbook is saved and submitted', async () => {
    await goto(`/reporting/${REGION}/${PERIOD}`);
    await page.setInputFiles('#upload-file', opts.good);
    await submit(page.locator('#upload-submit'));
    await expectNoAlert('the corrected upload');
    if (!(await page.locator('p.notice').count())) fail(`no p.notice after the corrected upload: ${(await bodyText()).slice(0, 400)}`);
    if (await page.locator('table.validation-errors').count()) fail('validation errors after the corrected upload');
    await shot('reporting-saved');
    await submit(page.locator('#submit-for-review'));
    await expectNoAlert('submitting for review');
    await signOut();
  });

  await step('chuxiong-review approves it', async () => {
    await signIn('chuxiong-review');
    await goto('/review');
    if (!(await reviewRow().count())) fail(`no review row for ${REGION} ${PERIOD}: ${(await bodyText()).slice(0, 400)}`);
    await shot('review');
    await submit(reviewRow().locator('button[name=action][value=approve]'));
    await expectNoAlert('approving');
    await signOut();
  });

  await step('fgw publishes it', async () => {
    await signIn('fgw');
    // The province-wide queue (/review) of the plan owner groups every county's demo values and
    // takes minutes in a debug build: publish from the batch's own page, which has the same
    // buttons (review/actions.html).
    await goto(`/review/${REGION}/${PERIOD}`);
    await submit(page.locator('button[name=action][value=publish]'));
    await expectNoAlert('publishing');
    await tryShot('evaluations', '/evaluations');
    await tryShot('evaluation', await firstLink('/evaluations', '/evaluations/'));
    await signOut();
  });

  await step('signed out, the public page shows it', async () => {
    await goto('/public');
    await shot('public');
    const link = page.locator(`a[href="/public/data/${REGION}/${PERIOD}"]`);
    if (!(await link.count())) fail(`/public has no link to /public/data/${REGION}/${PERIOD}`);
    await submit(link.first());
    if (new URL(page.url()).pathname !== `/public/data/${REGION}/${PERIOD}`) fail(`the link led to ${page.url()}`);
    const text = await bodyText();
    if (!text.includes(opts.expect)) fail(`the public data page does not show ${opts.expect}: ${text.slice(0, 400)}`);
    await shot('public-data');
  });
} catch (e) {
  console.error(`FAIL ${current}: ${e.message}`);
  console.error(`     at ${page.url()}`);
  await page.screenshot({ path: path.join(outDir, `FAIL-step${stepNo}.png`) }).catch(() => {});
  for (const n of notes) console.error(`note ${n}`);
  await browser.close();
  process.exit(1);
}

for (const n of notes) console.log(`note ${n}`);
console.log(`flow passed in ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${outDir}`);
await browser.close();
