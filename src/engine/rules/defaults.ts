import { trustRules } from '../guard';
import { RULES_SCHEMA_ID, RULES_VERSION, type RuleSet } from './schema';

/**
 * The default rule set: docs/rules.md, section by section. Every number here is a
 * default that sales ops can change in the rule set that travels with the workbook.
 */
const DEFAULT_RULES: RuleSet = {
  schema: RULES_SCHEMA_ID,
  version: RULES_VERSION,
  name: 'KAM default rules (domain.md)',
  criteria: [
    {
      id: 'sales',
      label: { en: 'Annual sales', zh: '年销售额' },
      unit: 'currency',
      better: 'higher',
      curve: { type: 'linear', min: 0, max: 1_000_000 },
      weight: 20,
      validMin: 0,
      // An account whose sales are unknown is never Strategic (docs/rules.md §5).
      required: true,
      aliases: ['annual sales', 'sales', 'revenue', 'turnover', '销售额', '年销售额', '销售收入', '营业额'],
    },
    {
      id: 'margin',
      label: { en: 'Gross margin', zh: '毛利率' },
      unit: 'fraction',
      better: 'higher',
      curve: { type: 'linear', min: 0, max: 0.3 },
      weight: 20,
      validMax: 1,
      aliases: ['gross margin', 'margin', 'margin %', 'gm', '利润率', '毛利率', '利润空间'],
    },
    {
      id: 'growth',
      label: { en: 'Purchase growth', zh: '采购增长率' },
      unit: 'fraction',
      better: 'higher',
      curve: { type: 'linear', min: -0.1, max: 0.2 },
      weight: 15,
      validMin: -1,
      aliases: ['growth', 'growth rate', 'purchase growth', 'yoy', '增长', '增长率', '采购增长', '采购增长率'],
    },
    {
      id: 'wallet',
      label: { en: 'Wallet (headroom)', zh: '业务总量(增长空间)' },
      unit: 'currency',
      better: 'higher',
      curve: { type: 'linear', min: 0, max: 1_000_000 },
      weight: 15,
      headroomOver: 'sales',
      validMin: 0,
      aliases: ['wallet', 'share of wallet', 'total spend', 'category spend', 'potential', '业务总量', '市场总量', '潜在业务'],
    },
    {
      id: 'paymentDays',
      label: { en: 'Days to pay', zh: '付款天数' },
      unit: 'days',
      better: 'lower',
      curve: { type: 'linear', min: 30, max: 120 },
      weight: 10,
      validMin: 0,
      aliases: ['payment days', 'days to pay', 'dso', 'avg days to pay', '付款周期', '付款天数', '账期'],
    },
    {
      id: 'access',
      label: { en: 'Access to goals', zh: '业务目标切入点' },
      unit: 'rating',
      better: 'higher',
      curve: { type: 'linear', min: 0, max: 5 },
      weight: 10,
      validMin: 0,
      validMax: 5,
      aliases: ['access', 'access to goals', '切入点', '业务目标切入点'],
    },
    {
      id: 'openness',
      label: { en: 'Openness to ideas', zh: '接受新想法' },
      unit: 'rating',
      better: 'higher',
      curve: { type: 'linear', min: 0, max: 5 },
      weight: 10,
      validMin: 0,
      validMax: 5,
      aliases: ['openness', 'openness to ideas', 'open to ideas', '开放度', '接受新想法'],
    },
  ],
  missingData: { minWeightShare: 0.6 },
  knockouts: [
    {
      id: 'belowCostLatePayer',
      effect: 'exclude',
      when: [
        { criterion: 'margin', op: '<', value: 0 },
        { criterion: 'paymentDays', op: '>', value: 90 },
      ],
      reason: { en: 'sells below cost and pays late', zh: '低于成本销售且付款迟缓' },
    },
    {
      id: 'belowCost',
      effect: 'flag',
      when: [{ criterion: 'margin', op: '<', value: 0 }],
      reason: { en: 'below cost', zh: '低于成本' },
    },
    {
      id: 'chronicLatePayer',
      effect: 'flag',
      when: [{ criterion: 'paymentDays', op: '>', value: 120 }],
      reason: { en: 'chronic late payer', zh: '长期拖欠付款' },
    },
  ],
  tiers: {
    strategic: { minScore: 75, label: { en: 'Strategic', zh: '战略大客户' } },
    key: { minScore: 60, label: { en: 'Key', zh: '大客户' } },
    develop: { minScore: 40, label: { en: 'Develop', zh: '潜力客户' } },
    maintain: { label: { en: 'Maintain', zh: '维持客户' } },
    excluded: { label: { en: 'Excluded', zh: '排除' } },
    insufficient: { label: { en: 'Insufficient data', zh: '数据不足' } },
  },
  relationships: {
    minSolidContacts: 3,
    depthCap: 5,
    depthPoints: 40,
    decisionMakerPoints: 25,
    coachPoints: 15,
    balancePoints: 20,
    solidMinRating: 1,
    supporterRating: 3,
    opponentRating: -3,
  },
  priorities: {
    hoursPerMonth: { strategic: 16, key: 8, develop: 4, maintain: 1, excluded: 0, insufficient: 0 },
    horizonMonths: [3, 6, 12],
    seniorVisitTiers: ['strategic', 'key'],
    landingTiers: ['strategic', 'key'],
    landingWithinMonths: 12,
    longTermNeedTiers: ['strategic', 'key'],
  },
  portfolio: {
    keyTiers: ['strategic', 'key'],
    maxKeyAccounts: 50,
    maxKeyShare: 0.2,
    attractivenessSplit: 50,
    strengthSplit: 50,
  },
};

/** A fresh copy of the default rule set, safe to change. */
export function defaultRules(): RuleSet {
  return trustRules(JSON.parse(JSON.stringify(DEFAULT_RULES)) as RuleSet);
}
