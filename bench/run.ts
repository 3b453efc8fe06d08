/**
 * `npm run bench`: every benchmark module in one process and one run, then one table per module on
 * stdout and every figure in dist/bench/results.json (for the README to quote).
 *
 * To add a benchmark: write `bench/<name>.bench.ts` exporting `async function run…(): Promise<void>`
 * that records its figures with `report.section(...)` from `./report` (helpers: `./timing` for
 * warm-up + median timing, `./data` for the seeded synthetic accounts), and add one line to MODULES.
 *
 * `npm run bench -- csv xlsx` runs only the modules named.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { report } from './report';
import { hasGc } from './timing';

interface BenchModule {
  name: string;
  run: () => Promise<void>;
}

// One line per module, loaded only when its turn comes. Memory runs first, before the other
// modules have grown the process.
const MODULES: readonly BenchModule[] = [
  { name: 'memory', run: async () => (await import('./memory.bench')).runMemoryBench() },
  { name: 'kernel', run: async () => (await import('./kernel.bench')).runKernelBench() },
  { name: 'functions', run: async () => (await import('./functions.bench')).runFunctionsBench() },
  { name: 'hyperformula', run: async () => (await import('./hyperformula.bench')).runHyperFormulaBench() },
  { name: 'xlsx', run: async () => (await import('./xlsx.bench')).runXlsxBench() },
  { name: 'csv', run: async () => (await import('./csv.bench')).runCsvBench() },
  { name: 'sql', run: async () => (await import('./sql.bench')).runSqlBench() },
];

function machine(): Record<string, string | number> {
  const cpu = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGB: Math.round(totalmem() / 1e8) / 10,
    load1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const info = machine();
  console.log('# KAM benchmark');
  console.log(
    Object.entries(info)
      .map(([k, v]) => `${k}: ${v}`)
      .join(' · '),
  );
  if (!hasGc()) console.log('warning: run with node --expose-gc for steadier timings and memory figures');
  if (Number(info.load1m) > cpus().length * 0.5) {
    console.log(`warning: the machine is busy (load ${info.load1m} on ${info.cores} cores): timings will be low and noisy`);
  }

  const failures: Array<{ module: string; error: string }> = [];
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !MODULES.some((m) => m.name === name));
  if (unknown.length > 0) throw new Error(`no benchmark module ${unknown.join(', ')} (there are: ${MODULES.map((m) => m.name).join(', ')})`);
  for (const m of MODULES.filter((x) => asked.length === 0 || asked.includes(x.name))) {
    const before = report.sections.length;
    const t0 = Date.now();
    try {
      await m.run();
    } catch (error) {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      failures.push({ module: m.name, error: text });
      console.error(`\n${m.name} failed: ${text}`);
    }
    for (const s of report.sections.slice(before)) s.print();
    console.log(`  (${m.name}: ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }

  const figures = report.all().flatMap((s) => s.figures);
  const missed = figures.filter((f) => f.pass === false).map((f) => f.label);
  const targeted = figures.filter((f) => f.pass !== null).length;
  const seconds = (Date.now() - started) / 1000;
  console.log(`\nTargets: ${targeted - missed.length} of ${targeted} met${missed.length ? `; missed: ${missed.join('; ')}` : ''}`);
  const loadEnd = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  console.log(`Total ${seconds.toFixed(1)} s (load average ${info.load1m} at start, ${loadEnd} at end)`);

  const out = join(__dirname, 'results.json');
  const results = {
    generatedAt: new Date().toISOString(),
    machine: info,
    seconds,
    loadAtEnd: loadEnd,
    sections: report.all(),
    failures,
  };
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Results: ${out}`);
  // A missed target is a finding, not a failure; a module that crashed is.
  if (failures.length > 0) process.exitCode = 1;
}

void main();
