/**
 * The KAM Summary sheet's content, as data: tier counts with their hours, the portfolio matrix,
 * hours against capacity, senior-management visits and warnings, with the charts drawn from them.
 * The pane's gateways and `kam` lay it out in a workbook; what it says is decided here.
 */
import { PLANNING_INPUTS } from '../cells';
import { LABEL_PACKS } from '../i18n/labels';
import { capacityPlan, needsSeniorVisit, portfolioQuadrant, portfolioWarnings, type CapacityPlan, type QuadrantId } from '../plan';
import type { Message } from '../i18n/messages';
import { OUTCOME_IDS, type CellValue, type Lang, type OutcomeId } from '../types';
import { outcomeLabel } from '../evaluate';
import { hasStrength, reportText, strengthAt, type ReportInput } from './result-columns';

/** A block of the summary sheet: a title, a header row and rows. */
export interface SummaryBlock {
  id: string;
  title: string;
  header: string[];
  rows: CellValue[][];
  /** Number formats per column (same length as `header`); "@" for text. */
  formats: string[];
}

/** A chart of the summary sheet, drawn from one block. */
export type SummaryChart =
  | { kind: 'column'; id: string; title: string; block: string; categoryColumn: number; valueColumn: number }
  | {
      kind: 'scatter';
      id: string;
      title: string;
      block: string;
      xColumn: number;
      yColumn: number;
      /** Rows are sorted by this column; each run of equal values becomes one series. */
      seriesColumn: number;
      xTitle: string;
      yTitle: string;
    };

export interface SummarySheet {
  title: string;
  blocks: SummaryBlock[];
  charts: SummaryChart[];
}

/** Texts of the summary sheet. */
export interface SummaryStrings {
  sheetTitle: string;
  tiersTitle: string;
  tiersHeader: string[];
  readinessTitle: string;
  readinessHeader: string[];
  readinessPresent: string;
  readinessBlank: string;
  distributionTitle: string;
  distributionHeader: string[];
  topTitle: string;
  topHeader: string[];
  portfolioTitle: string;
  portfolioHeader: string[];
  capacityTitle: string;
  capacityHeader: string[];
  demand: string;
  capacity: string;
  over: string;
  cuts: string;
  visitsTitle: string;
  visitsHeader: string[];
  warningsTitle: string;
  warningsHeader: string;
  strengthAxis: string;
  scoreAxis: string;
}

export interface PortfolioPoint {
  row: number;
  account: string;
  score: number;
  strength: number;
  quadrant: QuadrantId;
}

export interface SeniorVisit {
  row: number;
  account: string;
  outcome: OutcomeId;
  /** The decision maker's status, in the report's language. */
  decisionMaker: string;
}

/** Accounts per outcome. */
export function outcomeCounts(input: ReportInput): Record<OutcomeId, number> {
  const counts = Object.fromEntries(OUTCOME_IDS.map((id) => [id, 0])) as Record<OutcomeId, number>;
  for (const o of input.verdicts.outcomes) counts[o]++;
  return counts;
}

/** Accounts with a score and a strength, placed on the portfolio matrix; none without a strength. */
export function portfolioPoints(input: ReportInput): PortfolioPoint[] {
  if (!hasStrength(input)) return [];
  const { outcomes, scores } = input.verdicts;
  const points: PortfolioPoint[] = [];
  outcomes.forEach((outcome, r) => {
    const score = scores[r] ?? null;
    const strength = strengthAt(input, r);
    if (score === null || strength === null || outcome === 'invalid') return;
    points.push({ row: r, account: input.accounts[r] ?? '', score, strength, quadrant: portfolioQuadrant(score, strength, input.rules) });
  });
  return points;
}

/** The hours a month available, as the user types them: read with the engine's coercion like every input. */
export const CAPACITY_SPEC = PLANNING_INPUTS.capacity;

/** Hours per account against the hours available; no limit when `hours` is null. */
export function capacityOf(input: ReportInput, hours: number | null): CapacityPlan {
  return capacityPlan(input.verdicts.outcomes, input.verdicts.scores, hours ?? Infinity, input.rules);
}

/** Key accounts whose decision maker is not on side (needs a contacts table). */
export function seniorVisits(input: ReportInput): SeniorVisit[] {
  const relations = input.relations;
  if (!relations?.hasContacts) return [];
  const out: SeniorVisit[] = [];
  input.verdicts.outcomes.forEach((outcome, r) => {
    const cov = relations.coverage[r];
    if (cov && needsSeniorVisit(outcome, cov.decisionMaker, input.rules)) {
      out.push({ row: r, account: input.accounts[r] ?? '', outcome, decisionMaker: LABEL_PACKS[input.lang].decisionMaker[cov.decisionMaker] });
    }
  });
  return out;
}

/** The portfolio-size warnings, then the capacity finding when demand exceeds the hours available. */
export function summaryWarnings(input: ReportInput, plan: CapacityPlan | null): Message[] {
  return [...portfolioWarnings(outcomeCounts(input), input.rules), ...(plan?.finding ? [plan.finding] : [])];
}

/** How many accounts the summary's "top accounts" block lists. */
export const TOP_ACCOUNTS = 10;

/** Accounts with a score per band of ten points (0–9, …, 90–100), as the pane's preview counts them. */
export function scoreBands(input: ReportInput): CellValue[][] {
  const counts = new Array<number>(10).fill(0);
  for (const score of input.verdicts.scores) {
    if (score === null || score === undefined || !Number.isFinite(score)) continue;
    const band = Math.min(9, Math.max(0, Math.floor(score / 10)));
    counts[band] = (counts[band] ?? 0) + 1;
  }
  return counts.map((n, i) => [i === 9 ? '90–100' : `${i * 10}–${i * 10 + 9}`, n]);
}

/** The highest-scoring accounts in a tier (not excluded, insufficient or invalid), best first; ties keep the sheet's order. */
export function topAccounts(input: ReportInput, count: number): Array<{ row: number; account: string; score: number; outcome: OutcomeId }> {
  const tiered: Array<{ row: number; account: string; score: number; outcome: OutcomeId }> = [];
  input.verdicts.outcomes.forEach((outcome, r) => {
    const score = input.verdicts.scores[r];
    if (score === null || score === undefined || !['strategic', 'key', 'develop', 'maintain'].includes(outcome)) return;
    tiered.push({ row: r, account: input.accounts[r] ?? '', score, outcome });
  });
  return tiered.sort((a, b) => b.score - a.score || a.row - b.row).slice(0, count);
}

const QUADRANT_ORDER: readonly QuadrantId[] = ['strategic', 'star', 'status', 'streamline'];

/** The summary sheet: tiers (with a column chart), portfolio (with a scatter chart), capacity, visits, warnings. */
export function summarySheet(input: ReportInput, capacityHours: number | null, strings: SummaryStrings): SummarySheet {
  const { rules, lang } = input;
  const counts = outcomeCounts(input);
  const plan = capacityOf(input, capacityHours);
  const tiersRows: CellValue[][] = OUTCOME_IDS.filter((o) => counts[o] > 0 || o !== 'invalid').map((o) => [
    outcomeLabel(rules, o, lang),
    counts[o],
    o === 'invalid' ? 0 : plan.byTier[o].hours,
  ]);
  const blocks: SummaryBlock[] = [{ id: 'tiers', title: strings.tiersTitle, header: strings.tiersHeader, rows: tiersRows, formats: ['@', '0', '0'] }];
  blocks.push({ id: 'distribution', title: strings.distributionTitle, header: strings.distributionHeader, rows: scoreBands(input), formats: ['@', '0'] });
  const top = topAccounts(input, TOP_ACCOUNTS);
  if (top.length > 0) {
    blocks.push({
      id: 'top',
      title: strings.topTitle,
      header: strings.topHeader,
      rows: top.map((t) => [t.account, t.score, outcomeLabel(rules, t.outcome, lang)]),
      formats: ['@', '0.0', '@'],
    });
  }
  const quadrants = LABEL_PACKS[lang].quadrant;
  const points = portfolioPoints(input).sort((a, b) => QUADRANT_ORDER.indexOf(a.quadrant) - QUADRANT_ORDER.indexOf(b.quadrant) || b.score - a.score);
  if (points.length > 0) {
    blocks.push({
      id: 'portfolio',
      title: strings.portfolioTitle,
      header: strings.portfolioHeader,
      rows: points.map((p) => [p.account, p.score, p.strength, quadrants[p.quadrant]]),
      formats: ['@', '0.0', '0.0', '@'],
    });
  }
  const capacityRows: CellValue[][] = [[strings.demand, plan.demand]];
  if (capacityHours !== null) capacityRows.push([strings.capacity, capacityHours], [strings.over, plan.over], [strings.cuts, plan.cuts.length]);
  blocks.push({ id: 'capacity', title: strings.capacityTitle, header: strings.capacityHeader, rows: capacityRows, formats: ['@', '0'] });
  if (input.relations?.hasContacts) {
    blocks.push({
      id: 'visits',
      title: strings.visitsTitle,
      header: strings.visitsHeader,
      rows: seniorVisits(input).map((v) => [v.account, outcomeLabel(rules, v.outcome, lang), v.decisionMaker]),
      formats: ['@', '@', '@'],
    });
  }
  if (input.readiness) {
    const r = input.readiness;
    blocks.push({
      id: 'readiness',
      title: strings.readinessTitle,
      header: strings.readinessHeader,
      rows: [...r.absent.map((a): CellValue[] => [a.label[lang], Math.round(a.share * 1000) / 10]), [r.scoredOnPresent ? strings.readinessPresent : strings.readinessBlank, '']],
      formats: ['@', '0.0'],
    });
  }
  const warnings = summaryWarnings(input, plan);
  if (warnings.length > 0) {
    blocks.push({ id: 'warnings', title: strings.warningsTitle, header: [strings.warningsHeader], rows: warnings.map((w) => [reportText(input, w)]), formats: ['@'] });
  }
  const charts: SummaryChart[] = [{ kind: 'column', id: 'tierChart', title: strings.tiersTitle, block: 'tiers', categoryColumn: 0, valueColumn: 1 }];
  if (points.length > 0) {
    charts.push({
      kind: 'scatter',
      id: 'portfolioChart',
      title: strings.portfolioTitle,
      block: 'portfolio',
      xColumn: 2,
      yColumn: 1,
      seriesColumn: 3,
      xTitle: strings.strengthAxis,
      yTitle: strings.scoreAxis,
    });
  }
  return { title: strings.sheetTitle, blocks, charts };
}

/** The summary sheet's texts as the pane's language pack holds them (its `sheet` section), with the chart axes. */
export interface SummaryTexts {
  title: string;
  tiersTitle: string;
  tiersHeader: [string, string, string];
  readinessTitle: string;
  readinessHeader: [string, string];
  readinessPresent: string;
  readinessBlank: string;
  distributionTitle: string;
  distributionHeader: [string, string];
  topTitle: string;
  topHeader: [string, string, string];
  portfolioTitle: string;
  portfolioHeader: [string, string, string, string];
  capacityTitle: string;
  capacityHeader: [string, string];
  demand: string;
  capacity: string;
  over: string;
  cuts: string;
  visitsTitle: string;
  visitsHeader: [string, string, string];
  warningsTitle: string;
  warningsHeader: string;
  strengthAxis: string;
  scoreAxis: string;
}

/** The summary sheet's texts in each language: declared once, for the pane's pack and for `kam`. */
export const SUMMARY_TEXTS: Record<Lang, SummaryTexts> = {
  en: {
    title: 'KAM summary',
    tiersTitle: 'Accounts per tier',
    readinessTitle: 'Columns absent from the sheet',
    readinessHeader: ['Criterion', 'Share of the weight (%)'],
    readinessPresent: 'Scored on the criteria present: their weights were re-shared to add up to 100.',
    readinessBlank: 'Counted as blank for every account (see the flags and the tiers).',
    tiersHeader: ['Tier', 'Accounts', 'Hours/month'],
    distributionTitle: 'Score distribution',
    distributionHeader: ['Score', 'Accounts'],
    topTitle: 'Top accounts',
    topHeader: ['Account', 'Score', 'Tier'],
    portfolioTitle: 'Portfolio matrix',
    portfolioHeader: ['Account', 'Score', 'Strength', 'Quadrant'],
    capacityTitle: 'Hours against capacity',
    capacityHeader: ['Hours a month', 'Hours'],
    demand: 'Needed',
    capacity: 'Available',
    over: 'Over capacity',
    cuts: 'Accounts to take out',
    visitsTitle: 'Senior-management visits',
    visitsHeader: ['Account', 'Tier', 'Decision maker'],
    warningsTitle: 'Warnings',
    warningsHeader: 'Finding',
    strengthAxis: 'Relationship strength',
    scoreAxis: 'Attractiveness (KAM score)',
  },
  zh: {
    title: 'KAM 汇总',
    tiersTitle: '各等级客户数',
    readinessTitle: '表中没有的列',
    readinessHeader: ['评分项', '占权重(%)'],
    readinessPresent: '已按现有评分项评分:其权重已重新分配,合计为 100。',
    readinessBlank: '所有客户的这些项均按空白计(见提示和等级)。',
    tiersHeader: ['等级', '客户数', '每月小时'],
    distributionTitle: '得分分布',
    distributionHeader: ['得分', '客户数'],
    topTitle: '得分最高的客户',
    topHeader: ['客户', '得分', '等级'],
    portfolioTitle: '客户组合矩阵',
    portfolioHeader: ['客户', '得分', '关系强度', '象限'],
    capacityTitle: '所需小时与可用小时',
    capacityHeader: ['每月小时', '小时'],
    demand: '所需',
    capacity: '可用',
    over: '超出',
    cuts: '需去掉的客户数',
    visitsTitle: '高层拜访',
    visitsHeader: ['客户', '等级', '决策者'],
    warningsTitle: '提醒',
    warningsHeader: '内容',
    strengthAxis: '关系强度',
    scoreAxis: '吸引力(KAM 得分)',
  },
};

/** The texts summarySheet takes, from the texts of a language. */
export function summaryStringsOf(texts: Omit<SummaryTexts, 'strengthAxis' | 'scoreAxis'>, axes: { strength: string; score: string }): SummaryStrings {
  const { title, tiersHeader, readinessHeader, distributionHeader, topHeader, portfolioHeader, capacityHeader, visitsHeader, ...rest } = texts;
  return {
    ...rest,
    sheetTitle: title,
    tiersHeader: [...tiersHeader],
    readinessHeader: [...readinessHeader],
    distributionHeader: [...distributionHeader],
    topHeader: [...topHeader],
    portfolioHeader: [...portfolioHeader],
    capacityHeader: [...capacityHeader],
    visitsHeader: [...visitsHeader],
    strengthAxis: axes.strength,
    scoreAxis: axes.score,
  };
}

export const SUMMARY_STRINGS: Record<Lang, SummaryStrings> = {
  en: summaryStringsOf(SUMMARY_TEXTS.en, { strength: SUMMARY_TEXTS.en.strengthAxis, score: SUMMARY_TEXTS.en.scoreAxis }),
  zh: summaryStringsOf(SUMMARY_TEXTS.zh, { strength: SUMMARY_TEXTS.zh.strengthAxis, score: SUMMARY_TEXTS.zh.scoreAxis }),
};
