// The workspace in Debian's chromium against the real server on SQLite with the
// demo, under the production CSP: each role's pages, checked with axe-core,
// with screenshots written to web/test-artifacts/.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artefacts, launchBrowser, newPage, screenshot, seriousViolations, signInAs, startServer } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(user) {
  const opened = await newPage(browser, server.url);
  await signInAs(opened.page, server.url, user);
  return opened;
}

async function openCase(page, reference) {
  await page.getByRole('link', { name: reference, exact: true }).first().click();
  await page.locator('table.timeline').waitFor();
}

async function assertAccessible(page, what) {
  const violations = await seriousViolations(page);
  assert.deepEqual(violations, [], `${what}: serious or critical accessibility violations`);
}

function rowsWith(page, text) {
  return page.locator('table.timeline tbody tr', { hasText: text });
}

describe('an advocate', () => {
  test('records a step with an uncertain date, sees it in the timeline, corrects it and sees the history', async () => {
    const { page, problems, context } = await signedIn('advocate');
    await assertAccessible(page, 'the caseload');
    await screenshot(page, 'advocate-caseload');
    await openCase(page, 'JIN-D1');
    const form = page.getByRole('form', { name: 'Record step' });
    await form.locator('select[name=kind]').selectOption('housing.advocacy');
    await form.getByLabel('When it happened').fill('2019-06~');
    await assert.doesNotReject(form.getByTestId('date-preview').getByText('c. June 2019').waitFor());
    await form.getByLabel('What happened, in neutral words').fill('Browser test: spoke to the housing officer.');
    await assertAccessible(page, 'the case page with the step form');
    await screenshot(page, 'advocate-case-timeline');
    await form.getByRole('button', { name: 'Record step' }).click();
    const row = rowsWith(page, 'Browser test: spoke to the housing officer.');
    await row.waitFor();
    assert.equal(await row.locator('td.when').textContent(), 'c. June 2019');

    await row.getByRole('button', { name: /^Correct/ }).click();
    const correction = page.getByRole('form', { name: 'Save correction' });
    await correction.getByLabel('When it happened').fill('2019-07-02');
    await correction.getByTestId('date-preview').getByText('2 July 2019').waitFor();
    await correction.getByLabel('Why it is corrected').fill('The letter gives the exact date.');
    await correction.getByRole('button', { name: 'Save correction' }).click();
    const corrected = rowsWith(page, 'Browser test: spoke to the housing officer.');
    await corrected.getByText('Corrected', { exact: true }).waitFor();
    assert.equal(await corrected.locator('td.when').first().textContent(), '2 July 2019');
    await corrected.getByText('History (2 readings)').click();
    await corrected.getByText(/corrected: The letter gives the exact date\./).waitFor();
    await corrected.locator('.history').getByText('c. June 2019').waitFor();
    await screenshot(page, 'advocate-correction-history');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('sees a refused step’s message beside the field it names, and nothing is recorded', async () => {
    const { page, problems, context } = await signedIn('advocate');
    await openCase(page, 'JIN-D1');
    const before = await page.locator('table.timeline tbody tr').count();
    const form = page.getByRole('form', { name: 'Record step' });
    await form.locator('select[name=kind]').selectOption('nrm.reasonable_grounds_decision');
    await form.getByLabel('When it happened').fill('2020-01-10');
    await form.getByLabel('What happened, in neutral words').fill('Browser test: a decision without its outcome.');
    await form.getByRole('button', { name: 'Record step' }).click();
    const outcome = form.locator('select[name="details.outcome"][aria-invalid=true]');
    await outcome.waitFor();
    const message = form.locator(`[id="${await outcome.getAttribute('aria-describedby')}"]`);
    assert.match(await message.textContent(), /^details\.outcome: /);
    assert.equal(await form.locator('[role=alert]').count(), 1, 'only the field the API names shows a message');
    await assertAccessible(page, 'a refused step');
    await screenshot(page, 'advocate-refused-step');
    await page.reload(); // the token was in memory only: sign in again, back at the case's address
    await page.getByRole('button', { name: 'Advocate', exact: true }).click();
    await page.getByRole('heading', { name: 'JIN-D1' }).waitFor();
    await page.locator('table.timeline').waitFor();
    assert.equal(await page.locator('table.timeline tbody tr').count(), before);
    assert.equal(await rowsWith(page, 'Browser test: a decision without its outcome.').count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('keeps a step typed while the connection is down, shows it waiting, and sends it once when the server answers', async () => {
    const { page, context } = await signedIn('advocate');
    await openCase(page, 'JIN-D1');
    const form = page.getByRole('form', { name: 'Record step' });
    await form.locator('select[name=kind]').selectOption('housing.advocacy');
    await form.getByLabel('When it happened').fill('2021-03');
    await form.getByTestId('date-preview').getByText('March 2021').waitFor();
    await form.getByLabel('What happened, in neutral words').fill('Browser test: typed while offline.');
    let attempts = 0;
    await page.route('**/graphql', (route) => {
      if (route.request().postData()?.includes('mutation RecordStep')) attempts += 1;
      return route.abort('internetdisconnected'); // the connection drops
    });
    await form.getByRole('button', { name: 'Record step' }).click();
    await page.getByText('1 step not yet sent').waitFor();
    await page.waitForTimeout(2500); // the outbox tries again, and again fails
    assert.ok(attempts >= 2, `the outbox retried (${attempts} attempts)`);
    await screenshot(page, 'advocate-offline-outbox');
    // Leaving would lose the waiting step (it is in the tab's memory only): the browser asks.
    const asked = page.waitForEvent('dialog');
    // Once the dialog is dismissed the reload never happens: wait for it briefly.
    const reloading = page.reload({ timeout: 2_000 }).catch(() => null);
    const dialog = await asked;
    assert.equal(dialog.type(), 'beforeunload');
    await dialog.dismiss(); // stay
    await reloading;
    await page.getByText('1 step not yet sent').waitFor();
    await page.unroute('**/graphql'); // the server answers again
    await rowsWith(page, 'Browser test: typed while offline.').waitFor({ timeout: 15_000 });
    await page.getByText('1 step not yet sent').waitFor({ state: 'detached' });
    assert.equal(await rowsWith(page, 'Browser test: typed while offline.').count(), 1);
    await context.close();
  });

  test('attaches a document and records a consent, each refusal beside its field', async () => {
    const { page, problems, context } = await signedIn('advocate');
    await openCase(page, 'JIN-D1');
    const evidence = page.getByRole('form', { name: 'Attach evidence' });
    await evidence.getByRole('button', { name: 'Attach' }).click();
    const title = evidence.locator('[id="evidence-title"][aria-invalid=true]');
    await title.waitFor();
    assert.match(await evidence.locator('[id="evidence-title-error"]').textContent(), /^title: /);
    await evidence.getByLabel('Title').fill('Tenancy agreement');
    await evidence.getByLabel(/Kind of document/).fill('tenancy_agreement');
    await evidence.getByLabel(/Place in the bundle/).fill('C/300');
    await evidence.getByRole('button', { name: 'Attach' }).click();
    await evidence.getByText(/Attached\. Name/).waitFor();
    const consent = page.getByRole('region', { name: 'Consent' });
    await consent.getByRole('button', { name: 'Record it given (An NRM referral)' }).click();
    await page.getByText(/consents: .*nrm referral/).waitFor();
    await consent.getByRole('button', { name: 'Record it withdrawn (An NRM referral)' }).waitFor();
    await assertAccessible(page, 'evidence and consent');
    await screenshot(page, 'advocate-evidence-consent');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('records a step with the keyboard alone, every control it passes showing its focus', async () => {
    const { page, problems, context } = await signedIn('advocate');
    await page.locator('table.caseload').waitFor();
    const unfocused = [];
    /** Presses Tab until `wanted` (run in the page) holds of the focused element. */
    async function tabTo(what, wanted, most = 400) {
      for (let i = 0; i < most; i += 1) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const element = document.activeElement;
          const style = element ? getComputedStyle(element) : null;
          return {
            tag: element?.tagName ?? '', name: element?.getAttribute('name') ?? '', text: (element?.textContent ?? '').trim().slice(0, 60),
            label: element?.closest('label')?.textContent?.trim().slice(0, 40) ?? element?.getAttribute('type') ?? '',
            form: element?.closest('form')?.getAttribute('aria-label') ?? '', shown: style ? style.outlineStyle !== 'none' : false,
          };
        });
        if (!focused.shown) unfocused.push(`${focused.tag} ${focused.name || focused.text || focused.label}`);
        if (wanted(focused)) return;
      }
      throw new Error(`Tab never reached ${what}`);
    }
    await tabTo('the case JIN-D1', (f) => f.tag === 'A' && f.text === 'JIN-D1');
    await page.keyboard.press('Enter');
    await page.locator('table.timeline').waitFor();
    await tabTo('the kind of step', (f) => f.form === 'Record step' && f.name === 'kind');
    await page.keyboard.type('Advocacy on h');
    assert.equal(await page.getByRole('form', { name: 'Record step' }).locator('select[name=kind]').inputValue(), 'housing.advocacy');
    await tabTo('the date', (f) => f.form === 'Record step' && f.tag === 'INPUT' && f.name === 'occurred');
    await page.keyboard.type('2018-11?');
    await tabTo('the summary', (f) => f.form === 'Record step' && f.name === 'summary');
    await page.keyboard.type('Browser test: recorded with the keyboard alone.');
    await tabTo('the button', (f) => f.form === 'Record step' && f.tag === 'BUTTON' && f.text === 'Record step');
    await page.keyboard.press('Enter');
    const row = rowsWith(page, 'Browser test: recorded with the keyboard alone.');
    await row.waitFor();
    assert.deepEqual(unfocused, [], 'every control reached by Tab shows where the focus is');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('sees only what an advocate may: no organisation overview, no evaluation', async () => {
    const { page, context } = await signedIn('advocate');
    const nav = page.getByRole('navigation', { name: 'Workspace' });
    assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Caseload', 'GraphiQL']);
    await openCase(page, 'JIN-D1');
    const assignment = page.getByRole('region', { name: 'Hand this case over' });
    await assignment.getByText(/A manager hands a case over/).waitFor();
    assert.equal(await assignment.getByRole('button').count(), 0, 'hand-over is a manager’s');
    for (const path of ['/evaluation', '/organisation']) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('button', { name: 'Advocate', exact: true }).click();
      await page.getByRole('heading', { name: 'Not here' }).waitFor();
    }
    await context.close();
  });
});

describe('counsel', () => {
  test('read only the chronology shared with them, for its purpose, read-only; print it for a bundle and download it', async () => {
    const { page, problems, context } = await signedIn('counsel');
    await page.getByRole('heading', { name: 'Chronologies shared with you' }).waitFor();
    const shares = page.locator('table.shares tbody tr');
    await shares.first().waitFor();
    assert.deepEqual(await shares.locator('td:first-child').allTextContents(), ['FORT-D3'], 'only the demo\'s one share');
    assert.match(await shares.first().textContent(), /CICA claim/);
    await assertAccessible(page, 'counsel’s shares');
    await screenshot(page, 'counsel-chronologies');
    await page.getByRole('link', { name: 'FORT-D3', exact: true }).click();
    await page.locator('table.timeline').waitFor();
    assert.match(new URL(page.url()).pathname, /^\/shared\/[0-9a-f-]{36}\/cica$/);
    assert.equal(await page.getByRole('button', { name: /^Correct/ }).count(), 0);
    assert.equal(await page.getByRole('form', { name: 'Record step' }).count(), 0);
    assert.equal(await page.getByRole('combobox', { name: 'Purpose' }).count(), 0, 'counsel read the purpose shared, no other');
    await assertAccessible(page, 'counsel’s chronology');
    const css = await page.locator('main style').textContent();
    assert.match(css, /size: A4/);
    assert.match(css, /FORT-D3 · cica chronology · as at now · chain head [0-9a-f]{16}/);
    assert.match(css, /counter\(page\)/);

    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'PDF chronology' }).click()]);
    assert.match(file.suggestedFilename(), /^FORT-D3 chronology cica \d{4}-\d{2}-\d{2}\.pdf$/);
    const saved = join(artefacts, 'counsel-download.pdf');
    await file.saveAs(saved);
    assert.equal(readFileSync(saved).subarray(0, 5).toString('latin1'), '%PDF-');
    await page.getByText(/^Downloaded FORT-D3 chronology cica/).waitFor();

    await page.getByRole('tab', { name: 'Compensation evidence' }).click();
    await page.getByLabel('Claim stage').waitFor();
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.locator('table.timeline').waitFor();
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'counsel-print-layout');
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    writeFileSync(join(artefacts, 'counsel-chronology.pdf'), pdf);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.ok(pages >= 1, `the chronology prints on ${pages} A4 pages`);
    await page.emulateMedia({ media: 'screen' });

    // Another case's chronology, or another purpose, is not theirs to read.
    const other = page.url().replace(/\/cica$/, '/criminal-trial');
    await page.goto(other);
    await page.getByRole('button', { name: 'Counsel', exact: true }).click();
    await page.getByRole('heading', { name: 'Not shared with you' }).waitFor();
    assert.equal(await page.locator('table.timeline').count(), 0);
    await page.goto(other.replace(/\/shared\/([0-9a-f-]+)\/.*$/, '/cases/$1'));
    await page.getByRole('button', { name: 'Counsel', exact: true }).click();
    await page.getByRole('heading', { name: 'Not here' }).waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });
});

describe('an evaluator', () => {
  test('sees a suppressed cell as suppressed, never as zero, with each metric’s definition beside it', async () => {
    const { page, problems, context } = await signedIn('evaluator');
    await page.locator('table.evaluation').waitFor();
    const nav = page.getByRole('navigation', { name: 'Workspace' });
    assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Evaluation', 'GraphiQL']);
    const suppressed = page.locator('table.evaluation td[data-suppressed=true]');
    assert.ok((await suppressed.count()) > 0, 'the demo cohort has suppressed cells');
    for (const text of await suppressed.allTextContents()) assert.equal(text, 'suppressed');
    const clients = page.locator('tr[data-metric=CLIENTS] td.definition');
    assert.ok(((await clients.textContent()) ?? '').length > 10, 'the definition stands beside the figure');
    await page.getByRole('img', { name: /share by region$/ }).waitFor();
    const byPeriod = page.getByRole('img', { name: /share by period$/ });
    await byPeriod.waitFor();
    assert.deepEqual(await byPeriod.locator('g text:first-child').allTextContents(), ['2021/22', '2022/23', '2023/24', '2024/25']);
    for (const bar of await byPeriod.locator('g').all()) {
      const words = await bar.locator('text').allTextContents();
      assert.ok(words.length === 2 && /^(\d+\.\d%|suppressed|nobody to count)$/.test(words[1]), `a period's bar says its share or why none: ${words}`);
    }
    await assertAccessible(page, 'the evaluation');
    await screenshot(page, 'evaluator-evaluation');
    await page.getByRole('button', { name: 'Prepare the cohort (CSV)' }).click();
    await page.getByRole('link', { name: 'Download the cohort' }).waitFor();
    await page.goto(`${server.url}/cases/59a5e085-05df-517f-bc0d-3fd438601ec3`);
    await page.getByRole('button', { name: 'Evaluator', exact: true }).click();
    await page.getByRole('heading', { name: 'Not here' }).waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });
});

describe('a manager', () => {
  test('sees the organisation’s caseload, drift and deadlines, and may hand a case over', async () => {
    const { page, problems, context } = await signedIn('manager');
    const nav = page.getByRole('navigation', { name: 'Workspace' });
    assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Caseload', 'Organisation overview', 'GraphiQL']);
    await page.getByRole('link', { name: 'Organisation overview' }).click();
    await page.getByRole('heading', { name: 'Hand a case over' }).waitFor();
    await page.getByLabel('Case', { exact: true }).selectOption({ label: 'MAUREEN-D1 (adv-north-07)' });
    await page.getByLabel('New advocate').fill('adv-north-09');
    await page.getByLabel('Hand-over note').fill('Browser test: cover during leave.');
    await assertAccessible(page, 'the organisation overview');
    await screenshot(page, 'manager-overview');
    await page.getByRole('button', { name: 'Hand over' }).click();
    await page.getByText('Handed over to adv-north-09.').waitFor();
    await page.locator('table.caseload tr', { hasText: 'MAUREEN-D1' }).getByText('adv-north-09').waitFor();
    await page.goto(`${server.url}/evaluation`);
    await page.getByRole('button', { name: 'Manager', exact: true }).click();
    await page.getByRole('heading', { name: 'Not here' }).waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('hands a case over from its page, and the case shows its new advocate', async () => {
    const { page, problems, context } = await signedIn('manager');
    await openCase(page, 'JIN-D1');
    const panel = page.getByRole('region', { name: 'Hand this case over' });
    await panel.getByText(/^Held by adv-north-/).waitFor();
    await panel.getByRole('button', { name: 'Hand over' }).click();
    await panel.locator('[id="assign-advocate-error"]').waitFor();
    await panel.getByLabel('New advocate').fill('adv-north-11');
    await panel.getByLabel('Hand-over note').fill('Browser test: from the case page.');
    await assertAccessible(page, 'hand-over on a case page');
    await panel.getByRole('button', { name: 'Hand over' }).click();
    await panel.getByText('Handed over to adv-north-11.').waitFor();
    await page.getByText(/advocate adv-north-11/).waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });
});

test('GraphiQL loads from the server itself, under the CSP', async () => {
  const { page, problems, context } = await newPage(browser, server.url);
  await page.goto(`${server.url}/graphiql`);
  await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
  await screenshot(page, 'graphiql');
  assert.deepEqual(problems.filter((p) => /Content Security Policy|without the CSP/.test(p)), []);
  await context.close();
});
