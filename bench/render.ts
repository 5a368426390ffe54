import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReport, type Report } from './report.js';
import { distDir } from './servers.js';

/** `node dist/bench/render.js bench/results/<run>.json`: re-renders docs/BENCHMARKS.md from a saved run. */
const file = process.argv[2];
if (!file) throw new Error('usage: node dist/bench/render.js bench/results/<run>.json');
renderReport(join(distDir, '..'), JSON.parse(readFileSync(file, 'utf8')) as Report, file);
