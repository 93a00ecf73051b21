// Benchmark: time to a usable timeline of a 1,000-step case in chromium (from a
// click on the caseload to the 1,000th row painted; the bundle is cached, as it
// is after the first page), median of runs; and the compressed size of the
// JavaScript the advocate's pages load. Writes bench/results/workspace-timeline.json.
//   node browser-tests/bench-timeline.mjs [--runs 11] [--steps 1000]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser, newPage, repository, signInAs, startServer } from './harness.mjs';

const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const runs = option('runs', 11);
const steps = option('steps', 1000);

function advocateJavaScript() {
  const dist = resolve(repository, 'web', 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const sizes = files.map((file) => {
    const bytes = readFileSync(join(dist, file));
    return { file, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  return { files: sizes, bytes: sizes.reduce((a, s) => a + s.bytes, 0), gzip: sizes.reduce((a, s) => a + s.gzip, 0) };
}

async function graphql(url, token, query, variables) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function caseOfSteps(url, count) {
  const { token } = await (await fetch(`${url}/workspace/demo-token`, { method: 'POST', body: '{"user":"advocate"}' })).json();
  const opened = await graphql(url, token, `mutation { openCase(input: {reference: "BENCH-${count}", jurisdiction: ENGLAND_AND_WALES, idempotencyKey: "bench-open-${count}"}) { __typename ... on CommandSucceeded { caseId } } }`);
  const caseId = opened.openCase.caseId;
  await graphql(url, token, `mutation ($id: UUID!) { assignAdvocate(input: {caseId: $id, advocateId: "adv-north-07"}) { __typename } }`, { id: caseId });
  const record = 'mutation ($input: RecordStepInput!) { recordStep(input: $input) { __typename } }';
  for (let i = 0; i < count; i += 1) {
    const year = 2012 + (i % 13);
    const month = String(1 + (i % 12)).padStart(2, '0');
    const occurred = i % 3 === 0 ? `${year}-${month}~` : i % 3 === 1 ? `${year}-${month}-1${i % 10}` : `${year}`;
    const answer = await graphql(url, token, record, { input: {
      caseId, kind: 'housing.advocacy', occurred, summary: `Benchmark step ${i}: spoke to the housing officer about the tenancy.`,
      sources: [{ document: 'Advocate notes', pin: `p. ${i}` }], idempotencyKey: `bench-${count}-${i}` } });
    if (answer.recordStep.__typename !== 'StepRecorded') throw new Error(`step ${i}: ${answer.recordStep.__typename}`);
  }
  return caseId;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// Recording the case is set-up, not what is measured: one caller sends 1,000
// steps as fast as it can, which the per-caller rate limit rightly refuses.
const server = await startServer({ WAYMARK_RATE_PER_SECOND: '100000', WAYMARK_RATE_BURST: '100000' });
const browser = await launchBrowser();
try {
  console.log(`Recording a case of ${steps} steps ...`);
  const caseId = await caseOfSteps(server.url, steps);
  const { page } = await newPage(browser, server.url);
  await signInAs(page, server.url, 'advocate');
  const timings = [];
  const apiTimings = [];
  const firstScreen = [];
  for (let run = 0; run <= runs; run += 1) {
    await page.getByRole('link', { name: `BENCH-${steps}` }).waitFor();
    const [firstMs, ms, apiMs] = await page.evaluate(({ id, rows }) => new Promise((done) => {
      performance.clearResourceTimings();
      const started = performance.now();
      let first = null;
      document.querySelector(`a[href="/cases/${id}"]`).click();
      const check = () => {
        const painted = document.querySelectorAll('table.timeline tbody tr').length;
        if (first === null && painted >= 40) first = performance.now() - started; // a screenful, with its actions
        if (painted >= rows) {
          requestAnimationFrame(() => {
            const calls = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/graphql'));
            done([first, performance.now() - started, Math.max(...calls.map((e) => e.responseEnd - e.startTime))]);
          });
        } else requestAnimationFrame(check);
      };
      check();
    }), { id: caseId, rows: steps });
    if (run > 0) { // the first run warms the server's caches and the page's code
      firstScreen.push(firstMs);
      timings.push(ms);
      apiTimings.push(apiMs);
    }
    await page.getByRole('link', { name: '← All cases' }).click();
  }
  const bundle = advocateJavaScript();
  const result = {
    benchmark: 'workspace timeline',
    steps,
    runs,
    medianMs: Math.round(median(timings)),
    minMs: Math.round(Math.min(...timings)),
    maxMs: Math.round(Math.max(...timings)),
    medianFirstScreenMs: Math.round(median(firstScreen)),
    medianApiMs: Math.round(median(apiTimings)),
    loadAverage: (await import('node:os')).loadavg()[0],
    advocateJavaScript: bundle,
  };
  console.log(`First screen of a ${steps}-step timeline usable: median ${result.medianFirstScreenMs} ms`);
  console.log(`All ${steps} rows painted: median ${result.medianMs} ms (min ${result.minMs}, max ${result.maxMs}; ${runs} runs), of which the API's answer ${result.medianApiMs} ms (median); load average ${result.loadAverage.toFixed(1)}`);
  console.log(`Advocate pages' JavaScript: ${(bundle.gzip / 1024).toFixed(1)} KiB gzip (${(bundle.bytes / 1024).toFixed(1)} KiB raw)`);
  const out = resolve(repository, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'workspace-timeline.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await browser.close();
  await server.stop();
}
