import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SizeResult } from './measure.js';

export interface Report {
  date: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    pinning: string;
    /** What pages the kernel pages out by itself, if anything (page-out.ts); not recorded before. */
    pageOut?: string;
  };
  command: string;
  connections: number;
  duration: number;
  /** Runs before this field existed measured each server once, for the whole duration. */
  rounds?: number;
  /** Latencies from an uninterrupted run after the rounds (before: the medians of the rounds'). */
  latencyRun?: boolean;
  unknownShare: number;
  results: SizeResult[];
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

/**
 * Saves the run as JSON (bench/results/, for comparing commits) and replaces the generated part
 * of docs/BENCHMARKS.md with its tables; the prose around the markers is kept.
 */
export function writeReport(root: string, report: Report): void {
  const resultsDir = join(root, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${report.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  renderReport(root, report, file);
}

function measurement(report: Report): string {
  if (report.rounds === undefined) return `${report.duration} s per measurement`;
  const turns = `${report.duration} s per server in ${report.rounds} rounds of ${report.duration / report.rounds} s (the servers take turns; ratios are the median of each round's)`;
  return report.latencyRun
    ? `${turns}, latencies from one uninterrupted ${report.duration} s run per server after them`
    : `${turns}, latencies the medians of the rounds' (a heavier tail than uninterrupted runs)`;
}

/** Rewrites the generated part of docs/BENCHMARKS.md from a run's report. */
export function renderReport(root: string, report: Report, file: string): void {
  const lines = [
    START,
    `Run of ${report.date} on ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGb} GiB, Node ${report.machine.node}; ${report.machine.pinning}.${report.machine.pageOut ? ` Page cache: ${report.machine.pageOut}.` : ''}`,
    `Command: \`${report.command}\`. ${report.connections} connections, a warm-up, then ${measurement(report)}; ${Math.round(report.unknownShare * 100)} % of requests for ids that do not exist. Raw figures: \`bench/results/${file.split('/').at(-1)}\`.`,
    '',
    '| store | calls in store | ingestion (events/s) | store size per call | server | req/s | p50 ms | p99 ms | p99.9 ms | errors | peak RSS MB | CPU µs/request |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of report.results) {
    for (const [name, s] of Object.entries(r.servers)) {
      const first = name === 'diga-api';
      lines.push(
        `| ${first ? r.backend : ''} | ${first ? r.calls.toLocaleString('en') : ''} | ${first ? Math.round(r.seed.eventsPerSecond).toLocaleString('en') : ''} | ${first && r.seed.bytesPerCall ? `${Math.round(r.seed.bytesPerCall).toLocaleString('en')} B` : ''} | ${name} | ${Math.round(s.requestsPerSecond).toLocaleString('en')} | ${s.p50} | ${s.p99} | ${s.p99_9} | ${s.errors} | ${s.peakRssMb.toFixed(0)} | ${s.cpuMicrosPerRequest === undefined ? '—' : s.cpuMicrosPerRequest.toFixed(0)} |`,
      );
    }
  }
  lines.push(
    '',
    '| store | calls in store | diga-api / lookup limit | diga-api / ceiling |',
    '| --- | --- | --- | --- |',
  );
  for (const r of report.results) {
    // One decimal: a ratio of 0.795 is not the 80 % a target asks for.
    const ceiling = Number.isFinite(r.ratioToCeiling) ? `${(r.ratioToCeiling * 100).toFixed(1)} %` : '—';
    lines.push(
      `| ${r.backend} | ${r.calls.toLocaleString('en')} | **${(r.ratioToLookup * 100).toFixed(1)} %** | ${ceiling} |`,
    );
  }
  for (const r of report.results.filter((x) => x.listing !== undefined)) {
    lines.push(
      '',
      `GET /v1/call/ (limit 50) on the ${r.calls.toLocaleString('en')}-call SQLite store:`,
      '',
      '| page | req/s | p50 ms | p99 ms | p99.9 ms | errors | non-2xx |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const [kind, s] of Object.entries(r.listing ?? {})) {
      lines.push(
        `| ${kind} | ${Math.round(s.requestsPerSecond).toLocaleString('en')} | ${s.p50} | ${s.p99} | ${s.p99_9} | ${s.errors} | ${s.non2xx} |`,
      );
    }
  }
  lines.push(END);

  const docPath = join(root, 'docs', 'BENCHMARKS.md');
  let doc: string;
  try {
    doc = readFileSync(docPath, 'utf8');
  } catch {
    doc = `# Benchmarks\n\n${START}\n${END}\n`;
  }
  const generated = lines.join('\n');
  doc = doc.includes(START) ? doc.replace(new RegExp(`${START}[\\s\\S]*${END}`), generated) : `${doc}\n${generated}\n`;
  writeFileSync(docPath, doc);
}
