/** The plain-text table `npm run grade` prints: one row per lab and Node line. */
import type { GradeReport, LineReport, RunSummary } from './grade.ts';

function describeRun(run: RunSummary | null): string {
  if (run === null) return '—';
  return `${run.passed}/${run.total} pass${run.timedOut ? ' (deadline)' : ''}`;
}

function describeLine(line: LineReport): string[] {
  const { mutants, variants } = line;
  return [
    line.node,
    String(line.checks),
    describeRun(line.solution),
    describeRun(line.starter),
    mutants.total === 0 ? '—' : `${mutants.caught}/${mutants.total} caught`,
    variants.total === 0 ? '—' : `${variants.passing}/${variants.total} pass`,
    `${(line.ms / 1000).toFixed(1)} s`,
  ];
}

export function formatTable(reports: readonly GradeReport[]): string {
  const header = [
    'sandbox',
    'node',
    'checks',
    'solution',
    'starter',
    'mutants',
    'variants',
    'cpu',
    'ok',
  ];
  const rows: string[][] = [];
  for (const report of reports) {
    const labOk = report.violations.length === 0;
    if (report.lines.length === 0) rows.push([report.id, '—', '—', '—', '—', '—', '—', '—', 'NO']);
    for (const line of report.lines) {
      const ok = labOk && line.violations.length === 0;
      rows.push([report.id, ...describeLine(line), ok ? 'yes' : 'NO']);
    }
  }
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [header, widths.map((w) => '-'.repeat(w)), ...rows]
    .map((cells) => format(cells).trimEnd())
    .join('\n');
}
