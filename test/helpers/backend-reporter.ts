/**
 * A node:test reporter that says how many tests ran against each store backend, from the
 * `[sqlite]` / `[postgres]` tags of the enclosing suites. It runs beside the TAP reporter
 * (see the `test` script) and writes one line per backend at the end, then the run's totals.
 */
interface TestEvent {
  type: string;
  data: { name: string; nesting: number; file?: string; skip?: unknown; details?: { type?: string } };
}

export default async function* backendReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  // One stack of suite names: test files run one at a time (--test-concurrency=1), and an
  // event's `file` is where a test was declared, which for these suites is a helper.
  const stack: string[] = [];
  const counts: Record<string, { passed: number; failed: number; skipped: number }> = {};
  const total = { passed: 0, failed: 0 };
  for await (const { type, data } of source) {
    if (type === 'test:start') stack[data.nesting] = data.name;
    if ((type !== 'test:pass' && type !== 'test:fail') || data.details?.type === 'suite') continue;
    const skipped = data.skip !== undefined && data.skip !== false;
    if (type === 'test:fail') total.failed += 1;
    else if (!skipped) total.passed += 1;
    const backend = /\[(sqlite|postgres)\]/.exec(stack.slice(0, data.nesting).join(' '))?.[1];
    if (backend === undefined) continue;
    const count = (counts[backend] ??= { passed: 0, failed: 0, skipped: 0 });
    if (skipped) count.skipped += 1;
    else if (type === 'test:pass') count.passed += 1;
    else count.failed += 1;
  }
  for (const [backend, c] of Object.entries(counts)) {
    yield `store backend ${backend}: ${c.passed} tests passed, ${c.failed} failed, ${c.skipped} skipped\n`;
  }
  if (!counts.postgres) yield 'store backend postgres: not run (DIGA_TEST_DATABASE_URL is not set)\n';
  // The same totals as node's own summary, as the last line whatever order the reporters finish in.
  yield `tests: ${total.passed} passed, ${total.failed} failed\n`;
}
