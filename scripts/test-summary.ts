/**
 * `tsx scripts/test-summary.ts [test-results/vitest.json]`
 *
 * Reads vitest's JSON report (`vitest run --reporter=json --outputFile=…`) and prints, as its last line,
 * exactly `N passed, N failed` (plus `, N skipped` when any test was skipped or todo), computed from the
 * per-test results. A test file that failed without any failing test (an import error, a failing
 * beforeAll/afterAll, a global-setup error) counts as one failed test, so a broken file can never read
 * as green. Failed tests are listed above the summary line.
 *
 * Exit status: 0 when the report was read (whatever it says), 2 when it is missing or unreadable.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

interface AssertionResult {
  fullName?: string;
  title?: string;
  status: string;
  failureMessages?: string[];
}
interface FileResult {
  name: string;
  status: string;
  message?: string;
  assertionResults?: AssertionResult[];
}
interface Report {
  testResults?: FileResult[];
  success?: boolean;
}

const file = resolve(process.argv[2] ?? 'test-results/vitest.json');

let report: Report;
try {
  report = JSON.parse(readFileSync(file, 'utf8')) as Report;
} catch (err) {
  const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : String(err);
  console.error(`test summary: cannot read ${file}: ${reason}`);
  process.exit(2);
}
if (!Array.isArray(report.testResults)) {
  console.error(`test summary: ${file} is not a vitest JSON report (no testResults)`);
  process.exit(2);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const failures: string[] = [];
const firstLine = (s: string | undefined) => (s ?? '').split('\n').find((l) => l.trim())?.trim().slice(0, 200) ?? '';

for (const f of report.testResults) {
  const name = relative(process.cwd(), f.name);
  let failedHere = 0;
  for (const a of f.assertionResults ?? []) {
    if (a.status === 'passed') passed++;
    else if (a.status === 'failed') {
      failed++;
      failedHere++;
      failures.push(`  ✗ ${name} › ${a.fullName ?? a.title ?? '?'}${a.failureMessages?.length ? `\n      ${firstLine(a.failureMessages[0])}` : ''}`);
    } else skipped++; // skipped, pending, todo
  }
  if (f.status === 'failed' && failedHere === 0) {
    failed++;
    failures.push(`  ✗ ${name} (file failed: ${firstLine(f.message) || 'no test failed, see the log'})`);
  }
}

if (failures.length) console.log(`Failed:\n${failures.join('\n')}`);
if (report.success === false && failed === 0) {
  console.log('note: vitest marked the run as failed although no test failed (unhandled error or teardown error?) — see the log above');
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
