/**
 * The benchmark's report: every module records its figures here, with the target beside
 * each, and `run.ts` prints them and writes them to `dist/bench/results.json` for the README.
 * A miss is reported, never thrown: this is a measurement, not a test.
 */

export type TargetOp = '>=' | '<=' | '<';

export interface Target {
  op: TargetOp;
  value: number;
}

export interface Figure {
  /** Stable id, for the README to quote (`section.figure`). */
  id: string;
  label: string;
  value: number;
  unit: string;
  target: Target | null;
  /** null when the figure has no target. */
  pass: boolean | null;
  note?: string;
}

export interface Section {
  id: string;
  title: string;
  figures: Figure[];
  notes: string[];
}

export interface FigureOptions {
  /** Decimal places when printed (default: 0 for values ≥ 100, else 2). */
  digits?: number;
  target?: Target;
  note?: string;
}

function meets(value: number, t: Target): boolean {
  switch (t.op) {
    case '>=':
      return value >= t.value;
    case '<=':
      return value <= t.value;
    case '<':
      return value < t.value;
  }
}

export function formatNumber(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return String(value);
  const d = digits ?? (Math.abs(value) >= 100 ? 0 : 2);
  return value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

const printed = new WeakMap<Figure, number | undefined>();

export class SectionReport {
  constructor(readonly data: Section) {}

  figure(id: string, label: string, value: number, unit: string, options: FigureOptions = {}): Figure {
    const target = options.target ?? null;
    const fig: Figure = { id, label, value, unit, target, pass: target ? meets(value, target) : null };
    if (options.note !== undefined) fig.note = options.note;
    printed.set(fig, options.digits);
    this.data.figures.push(fig);
    return fig;
  }

  note(text: string): void {
    this.data.notes.push(text);
  }

  /** Prints the section as a table: figure, value, target, PASS/MISS. */
  print(): void {
    const rows = this.data.figures.map((f) => {
      const digits = printed.get(f);
      const unit = f.unit ? ` ${f.unit}` : '';
      return [
        f.label,
        formatNumber(f.value, digits) + unit,
        f.target ? `${f.target.op} ${formatNumber(f.target.value, digits)}${unit}` : '',
        f.pass === null ? '' : f.pass ? 'PASS' : 'MISS',
      ];
    });
    const head = ['Figure', 'Value', 'Target', ''];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
    const line = (cells: string[]): string =>
      cells
        .map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number)))
        .join('  ')
        .trimEnd();
    console.log(`\n## ${this.data.title}`);
    console.log(line(head));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
    for (const f of this.data.figures) if (f.note) console.log(`  * ${f.label}: ${f.note}`);
    for (const n of this.data.notes) console.log(`  - ${n}`);
  }
}

class Report {
  readonly sections: SectionReport[] = [];

  section(id: string, title: string): SectionReport {
    const s = new SectionReport({ id, title, figures: [], notes: [] });
    this.sections.push(s);
    return s;
  }

  /** A figure recorded earlier, as `sectionId.figureId`; undefined when that module did not run. */
  value(path: string): number | undefined {
    const dot = path.indexOf('.');
    const section = this.sections.find((s) => s.data.id === path.slice(0, dot));
    return section?.data.figures.find((f) => f.id === path.slice(dot + 1))?.value;
  }

  all(): Section[] {
    return this.sections.map((s) => s.data);
  }
}

/** The one report of this run. Benchmark modules add their sections to it. */
export const report = new Report();
