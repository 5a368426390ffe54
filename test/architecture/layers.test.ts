import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { projectRoot } from '../helpers/paths.js';

const run = promisify(execFile);
const depcruise = join(projectRoot, 'node_modules', '.bin', 'depcruise');
const rules = join(projectRoot, '.dependency-cruiser.cjs');

/** Runs the project's layer rules over `cwd`'s src/; the exit code and what was reported. */
async function cruise(cwd: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout } = await run(depcruise, ['--config', rules, '--output-type', 'err', 'src'], { cwd });
    return { ok: true, output: stdout };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** A throwaway tree with the project's tsconfig and the given modules. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'diga-layers-'));
  writeFileSync(
    join(root, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
  );
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('the layer rules (npm run lint:layers)', () => {
  const made: string[] = [];
  after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const fixture = (files: Record<string, string>) => {
    const dir = tree(files);
    made.push(dir);
    return dir;
  };

  test('hold over the project itself: no import against the order, no circle', async () => {
    const { ok, output } = await cruise(projectRoot);
    assert.ok(ok, output);
    assert.match(output, /no dependency violations found/);
  });

  test('accept imports that go down the layers', async () => {
    const dir = fixture({
      'src/kernel/time.ts': 'export const now = () => 0;\n',
      'src/store/calls-repo.ts': "import { now } from '../kernel/time.js';\nexport const find = () => now();\n",
      'src/domain/calls/get-call.ts':
        "import { find } from '../../store/calls-repo.js';\nexport const get = () => find();\n",
      'src/http/routes/get.ts':
        "import { get } from '../../domain/calls/get-call.js';\nexport const route = () => get();\n",
    });
    const { ok, output } = await cruise(dir);
    assert.ok(ok, output);
  });

  const violations: [string, Record<string, string>, string][] = [
    [
      'http reaching the store around the domain',
      {
        'src/store/calls-repo.ts': 'export const find = () => 1;\n',
        'src/http/get.ts': "import { find } from '../store/calls-repo.js';\nexport const route = () => find();\n",
      },
      'http-through-domain',
    ],
    [
      'the domain importing http',
      {
        'src/http/schemas.ts': 'export const schema = {};\n',
        'src/domain/agents.ts': "import { schema } from '../http/schemas.js';\nexport const view = () => schema;\n",
      },
      'domain-above-store',
    ],
    [
      'the store importing the domain',
      {
        'src/domain/time.ts': 'export const now = () => 0;\n',
        'src/store/dialect.ts': "import { now } from '../domain/time.js';\nexport const at = () => now();\n",
      },
      'store-below-domain',
    ],
    [
      'the kernel importing anything of the project',
      {
        'src/contract/calls.ts': 'export const statuses = [];\n',
        'src/kernel/time.ts': "import { statuses } from '../contract/calls.js';\nexport const n = statuses.length;\n",
      },
      'kernel-is-a-leaf',
    ],
    [
      'a circle within one layer',
      {
        'src/domain/a.ts': "import { b } from './b.js';\nexport const a = () => b();\n",
        'src/domain/b.ts': "import { a } from './a.js';\nexport const b = (): number => (a ? 1 : 0);\n",
      },
      'no-circular',
    ],
    [
      'a layer reading the configuration',
      {
        'src/config.ts': 'export const config = {};\n',
        'src/domain/settings.ts': "import { config } from '../config.js';\nexport const s = config;\n",
      },
      'config-read-at-the-top',
    ],
  ];
  for (const [what, files, rule] of violations) {
    test(`fail ${what} (${rule})`, async () => {
      const { ok, output } = await cruise(fixture(files));
      assert.equal(ok, false, output);
      assert.match(output, new RegExp(`error ${rule}:`));
    });
  }
});
