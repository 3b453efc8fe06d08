import type { FunctionsLanguagePack } from '../catalog';

/**
 * Chinese (zh-CN) names and descriptions of the KAM functions, merged into the generated
 * functions.json to make functions-zh-cn.json. Excel allows any Unicode letters in a function's
 * display name (at least three characters), so the names are Chinese; the ids stay ASCII and are
 * what workbooks store. This module also names the arguments in Chinese error messages.
 *
 * Kept free of runtime imports: the build loads it on its own to write the metadata.
 */
const ACCOUNT = {
  sales: { name: '年销售额', description: '该客户的年销售额(金额),单元格或一列' },
  margin: { name: '毛利率', description: '平均毛利率,写成 18% 或 0.18;单元格或一列' },
  growth: { name: '采购增长率', description: '采购增长率,写成 5% 或 0.05;单元格或一列' },
  wallet: { name: '业务总量', description: '客户在本品类的年度总支出(含竞争对手),按其超出年销售额的增长空间计分' },
  paymentDays: { name: '付款天数', description: '平均付款天数,单元格或一列' },
  access: { name: '目标切入点', description: '能否切入客户当前和未来的业务目标:0–5 分,或 是/否' },
  openness: { name: '接受新想法', description: '能否与客户探讨新想法、提供建议:0–5 分,或 是/否' },
} as const;

const RULES = { name: '规则', description: '可选:“KAM Rules”规则表区域(如名称 KAM_RULES);省略则使用默认规则' } as const;
const LANGUAGE = { name: '语言', description: '可选:结果和错误信息的语言,"en"(默认)或 "zh"' } as const;
const CURRENCY = { name: '货币', description: '可选:每个客户的货币代码(EUR、USD、CNY 等),在规则按一种货币和汇率评分时使用;省略则金额视为规则所用货币' } as const;

export const ZH_CN: FunctionsLanguagePack = {
  SCORE: {
    name: '客户评分',
    description: '按七项标准为大客户评分(0–100,一位小数);传入整列则逐行溢出结果',
    params: { ...ACCOUNT, rules: RULES, language: LANGUAGE, currency: CURRENCY },
  },
  TIER: {
    name: '客户等级',
    description: '大客户等级(战略大客户、大客户、潜力客户、维持客户),先应用否决规则和缺失数据规则',
    params: { ...ACCOUNT, rules: RULES, language: LANGUAGE, currency: CURRENCY },
  },
  EXPLAIN: {
    name: '评分说明',
    description: '解释一个客户的评分:每项标准的输入、得分、权重和贡献,以及触发的否决规则和提示',
    params: { ...ACCOUNT, rules: RULES, language: LANGUAGE, currency: CURRENCY },
  },
  FLAGS: {
    name: '客户提示',
    description: '客户的提示合并为一段文字:触发的否决规则、缺失数据、无法读取的输入',
    params: { ...ACCOUNT, rules: RULES, language: LANGUAGE, currency: CURRENCY },
  },
  PRIORITY: {
    name: '优先次序',
    description: '在所给客户中的优先次序(1 最优先):先按等级,再按评分',
    params: { ...ACCOUNT, rules: RULES, language: LANGUAGE, currency: CURRENCY },
  },
  HOURS: {
    name: '投入工时',
    description: '每个客户每月应投入的小时数(按等级);给出可用工时时,超出部分从最低等级开始削减为 0',
    params: {
      ...ACCOUNT,
      capacity: { name: '可用工时', description: '可选:客户经理每月可用的小时数' },
      rules: RULES,
      language: LANGUAGE,
      currency: CURRENCY,
    },
  },
  COVERAGE: {
    name: '关系覆盖',
    description: '客户内部关系覆盖度(0–100):稳固联系人数量、决策者、内线和支持者多于反对者的程度',
    params: {
      account: { name: '客户', description: '要计算的客户(单元格或一列客户名)' },
      contactAccounts: { name: '联系人客户', description: '联系人表中每位联系人所属客户的一列' },
      roles: { name: '角色', description: '联系人表中的角色一列:决策者、使用者、技术、内线、其他' },
      stances: { name: '态度', description: '联系人表中的态度一列:支持、中立、反对,或 −5 到 +5 的评分' },
      engaged: { name: '已参与', description: '可选:联系人表中是否已参与本次销售(是/否)的一列' },
      rules: RULES,
      language: LANGUAGE,
    },
  },
  QUADRANT: {
    name: '组合象限',
    description: '客户组合矩阵象限:吸引力(评分)对比相对实力(关系覆盖),分为战略型、明星型、维持型、精简型',
    params: {
      attractiveness: { name: '吸引力', description: '客户吸引力,0–100(通常为 KAM.客户评分 的结果)' },
      strength: { name: '相对实力', description: '你在该客户的相对实力,0–100(通常为 KAM.关系覆盖 的结果)' },
      rules: RULES,
      language: LANGUAGE,
    },
  },
  HORIZON: {
    name: '成果期限',
    description: '预计多少个月后见到成果所属的期限段:0–3、3–6、6–12 或 >12 个月',
    params: {
      months: { name: '月数', description: '预计见到成果的月数,单元格或一列' },
      rules: RULES,
      language: LANGUAGE,
    },
  },
  GROWTHRATE: {
    name: '复合增长率',
    description: '由各期采购合计(从早到晚)计算每期复合增长率;一行或一列为一个序列,多行多列则每行一个客户',
    params: {
      periodTotals: { name: '各期合计', description: '各期采购合计,从早到晚排列的一行或一列' },
      language: LANGUAGE,
    },
  },
};
