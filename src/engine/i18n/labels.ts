import type { Lang } from '../types';
import type { QuadrantId } from '../plan';

/** Fixed labels the engine's outputs use; tier and criterion labels live in the rule set instead. */
export interface LabelPack {
  invalidOutcome: string;
  quadrant: Record<QuadrantId, string>;
  decisionMaker: Record<'engaged' | 'notEngaged' | 'opposed' | 'unknown', string>;
  /** Headers of the columns the engine's results are written under. */
  column: {
    score: string;
    tier: string;
    flags: string;
    priority: string;
    hours: string;
    coverage: string;
    quadrant: string;
  };
  /** The explanation of one account (KAM.EXPLAIN and the pane's Explain tab): column headers, then the labels of its summary rows. */
  explanation: {
    criterion: string;
    input: string;
    points: string;
    weight: string;
    contribution: string;
    score: string;
    tier: string;
    knockout: string;
    flag: string;
  };
}

export const LABEL_PACKS: Record<Lang, LabelPack> = {
  en: {
    invalidOutcome: 'Invalid input',
    quadrant: { strategic: 'Strategic', star: 'Star', status: 'Status', streamline: 'Streamline' },
    decisionMaker: { engaged: 'engaged', notEngaged: 'not engaged', opposed: 'opposed', unknown: 'unknown' },
    column: {
      score: 'KAM Score',
      tier: 'KAM Tier',
      flags: 'KAM Flags',
      priority: 'KAM Priority',
      hours: 'KAM Hours/Month',
      coverage: 'KAM Coverage',
      quadrant: 'KAM Quadrant',
    },
    explanation: {
      criterion: 'Criterion',
      input: 'Input',
      points: 'Points',
      weight: 'Weight',
      contribution: 'Contribution',
      score: 'Score',
      tier: 'Tier',
      knockout: 'Knock-out',
      flag: 'Flag',
    },
  },
  zh: {
    invalidOutcome: '输入有误',
    quadrant: { strategic: '战略型', star: '明星型', status: '维持型', streamline: '精简型' },
    decisionMaker: { engaged: '已参与', notEngaged: '未参与', opposed: '反对', unknown: '未知' },
    column: {
      score: 'KAM 得分',
      tier: 'KAM 等级',
      flags: 'KAM 提示',
      priority: 'KAM 优先级',
      hours: 'KAM 每月小时',
      coverage: 'KAM 关系覆盖',
      quadrant: 'KAM 象限',
    },
    explanation: { criterion: '标准', input: '输入', points: '得分', weight: '权重', contribution: '贡献', score: '评分', tier: '等级', knockout: '否决规则', flag: '提示' },
  },
};
