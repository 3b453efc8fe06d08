/**
 * The demo workbook: a sheet of accounts (with the awkward cells real sheets have), a contacts
 * sheet and a needs sheet, in English or Chinese (headers, names and texts alike). Deterministic,
 * so screenshots and tests see the same data every time.
 */
import type { Lang } from '../../engine/types';
import type { Cell } from '../../gateway/types';
import { MemoryWorkbook } from '../../gateway/memory';

const NAMES = {
  en: [
    'Northwind Traders',
    'Contoso Pharma',
    'Fabrikam Tools',
    'Litware Foods',
    'Adventure Works',
    'Tailspin Air',
    'Wide World Importers',
    'Proseware',
    'Coho Winery',
    'Alpine Ski House',
    'Blue Yonder',
    'Fourth Coffee',
    'Graphic Design Inst.',
    'Humongous Insurance',
    'Lucerne Publishing',
    'Margie Travel',
    'Nod Publishers',
    'Relecloud',
    'Southridge Video',
    'Trey Research',
    'VanArsdel',
    'Woodgrove Bank',
    'Datum Corp',
    'Bellows College',
    'Best For You Organics',
    'Consolidated Messenger',
    'First Up Consultants',
    'Lamna Healthcare',
    'Liberty Delightful',
    'Munson Pickles',
    'Olympia Furniture',
    'Parnell Aerospace',
    'School of Fine Art',
    'Sunrise Steel',
    'Tasmanian Traders',
    'Wingtip Toys',
    'Boulder Gear',
    'Harbor Plastics',
    'Eastgate Paper',
    'Redwood Tiles',
  ],
  zh: [
    '华东机械',
    '康泰制药',
    '精工工具',
    '丰味食品',
    '远航户外',
    '翔宇航空',
    '环球进口',
    '博文软件',
    '青山酒业',
    '雪峰运动',
    '蓝天物流',
    '四季咖啡',
    '设计学院',
    '宏大保险',
    '明湖出版',
    '假日旅行',
    '诺德出版',
    '云端科技',
    '南岭影视',
    '三一研究',
    '万达家居',
    '绿林银行',
    '数据集团',
    '百川学院',
    '优选有机',
    '联合快递',
    '首创咨询',
    '安康医疗',
    '自由食品',
    '芒森食品',
    '奥林家具',
    '天工航天',
    '美术学校',
    '朝阳钢铁',
    '塔斯贸易',
    '翼尖玩具',
    '巨石装备',
    '港湾塑料',
    '东门纸业',
    '红木瓷砖',
  ],
};

const HEADERS = {
  en: ['Customer', 'Region', 'Annual sales', 'Gross margin', 'Growth', 'Wallet', 'Days to pay', 'Access', 'Open to new ideas?'],
  zh: ['客户', '区域', '年销售额', '毛利率', '增长率', '业务总量', '付款天数', '切入点', '愿意接受新想法?'],
};

const REGIONS = { en: ['North', 'South', 'East', 'West'], zh: ['华北', '华南', '华东', '西部'] };

/** A small deterministic generator (an LCG): the same numbers on every run. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x100000000;
  };
}

/** Rows of accounts: header first. `count` above 40 repeats the names with a number. */
export function demoAccounts(lang: Lang, count = 40): Cell[][] {
  const next = generator(7);
  const names = NAMES[lang];
  const rows: Cell[][] = [HEADERS[lang]];
  for (let i = 0; i < count; i++) {
    const base = names[i % names.length] as string;
    const name = i < names.length ? base : `${base} ${Math.floor(i / names.length) + 1}`;
    const region = REGIONS[lang][i % 4] as string;
    const sales = Math.round((50_000 + next() * 1_450_000) / 1000) * 1000;
    const margin = Math.round((0.02 + next() * 0.3) * 1000) / 1000;
    const growth = Math.round((-0.08 + next() * 0.3) * 1000) / 1000;
    const wallet = Math.round((sales * (1 + next() * 2.5)) / 1000) * 1000;
    const days = Math.round(25 + next() * 70);
    const access = Math.round(next() * 5);
    const openness = Math.round(next() * 5);
    rows.push([name, region, sales, margin, growth, wallet, days, access, openness]);
  }
  // The cells real sheets have: a knock-out, a late payer, blanks, an unreadable cell, typed texts.
  const set = (i: number, row: Cell[]): void => {
    if (i + 1 < rows.length) rows[i + 1] = row;
  };
  set(3, [names[3] as string, REGIONS[lang][3] as string, 2_000_000, -0.05, 0, 2_000_000, 100, 1, 1]);
  set(6, [names[6] as string, REGIONS[lang][2] as string, 800_000, 0.2, 0.05, 1_000_000, 130, 3, 3]);
  set(9, [names[9] as string, REGIONS[lang][1] as string, 500_000, '', 0.1, '', '', '', '']);
  set(12, [names[12] as string, REGIONS[lang][0] as string, 650_000, '#N/A', 0.04, 900_000, 40, 4, 3]);
  set(15, [names[15] as string, REGIONS[lang][3] as string, '1,200,000', '18%', '5%', '¥1,500,000', '45', '是', '否']);
  set(18, ['1e5 Labs', REGIONS[lang][2] as string, 420_000, 0.27, 0.16, 1_600_000, 32, 5, 4]);
  return rows;
}

/** The contacts of some accounts: enough to show coverage, red flags and senior visits. */
export function demoContacts(lang: Lang): Cell[][] {
  const names = NAMES[lang];
  const head = lang === 'zh' ? ['客户', '姓名', '角色', '态度', '影响力', '既得利益'] : ['Account', 'Name', 'Role', 'Stance', 'Influence', 'Vested interest'];
  const rows: Cell[][] = [head];
  const people = lang === 'zh' ? ['王伟', '李娜', '张强', '刘洋', '陈静', '杨帆'] : ['Ana Ruiz', 'Ben Okafor', 'Chen Li', 'Dana Kim', 'Eli Stone', 'Fay Moreau'];
  for (let i = 0; i < 18; i++) {
    const account = names[i] as string;
    const team = i % 3 === 0 ? 5 : i % 3 === 1 ? 2 : 3;
    for (let p = 0; p < team; p++) {
      const role = p === 0 ? (i % 4 === 1 ? 'technical' : 'economic') : p === 1 ? 'coach' : 'user';
      const stance = p === 0 && i % 5 === 2 ? 'opponent' : p % 2 === 0 ? 'supporter' : 'neutral';
      const influence = p === 0 ? 'high' : 'medium';
      const vested = i === 5 && p === 2 ? (lang === 'zh' ? '与现有供应商有回扣关系' : 'kickback from the incumbent') : '';
      rows.push([account, people[(i + p) % people.length] as string, role, stance, influence, vested]);
    }
  }
  return rows;
}

export function demoNeeds(lang: Lang): Cell[][] {
  const names = NAMES[lang];
  const head = lang === 'zh' ? ['客户', '需求', '期限', '月数'] : ['Account', 'Need', 'Horizon', 'Months'];
  const rows: Cell[][] = [head];
  const needs =
    lang === 'zh' ? ['降低采购价', '向高端市场转型', '缩短交期', '联合研发'] : ['Lower purchase price', 'Move up-market on quality', 'Shorter lead times', 'Joint development'];
  for (let i = 0; i < 16; i++) {
    const account = names[i] as string;
    rows.push([account, needs[i % 2] as string, i % 2 === 0 ? 'short' : 'long', i % 2 === 0 ? 2 : 9]);
    if (i % 4 === 1) rows.push([account, needs[2 + (i % 2)] as string, 'long', 14]);
  }
  return rows;
}

/** The whole demo workbook; the selection starts in the accounts. */
export function demoWorkbook(lang: Lang, count = 40): MemoryWorkbook {
  const accounts = lang === 'zh' ? '客户' : 'Accounts';
  const book = MemoryWorkbook.fromRows(accounts, demoAccounts(lang, count));
  book.addRows(lang === 'zh' ? '联系人' : 'Contacts', demoContacts(lang));
  book.addRows(lang === 'zh' ? '需求' : 'Needs', demoNeeds(lang));
  book.selection = { sheet: accounts, row: 2, col: 1 };
  return book;
}

const ORDER_HEADERS = {
  en: ['Order ID', 'Order date', 'Customer', 'Product', 'Sales', 'Profit'],
  zh: ['订单编号', '订单日期', '客户', '产品', '销售额', '利润'],
};
const PRODUCTS = { en: ['Chai', 'Chang', 'Tofu', 'Ikura', 'Konbu', 'Pavlova'], zh: ['红茶', '啤酒', '豆腐', '鱼子', '海带', '甜点'] };

/**
 * An order-line export, as sales systems give it: one row per line over two years, a dozen
 * customers, sales and profit but no wallet, payment days, access or openness. Deterministic.
 */
export function demoOrderLines(lang: Lang): Cell[][] {
  const next = generator(11);
  const names = NAMES[lang].slice(0, 12);
  const rows: Cell[][] = [ORDER_HEADERS[lang]];
  let order = 10248;
  const day = (offset: number): string => new Date(Date.UTC(2023, 9, 1) + offset * 86_400_000).toISOString().slice(0, 10);
  for (let d = 0; d < 820; d += 3) {
    const customer = names[Math.floor(next() * names.length)] as string;
    const lines = 1 + Math.floor(next() * 3);
    for (let l = 0; l < lines; l++) {
      const sales = Math.round(200 + next() * 4_800);
      // Growth differs by customer: later orders of the first customers are larger.
      const scale = d >= 455 ? 1 + (names.indexOf(customer) % 4) * 0.15 : 1;
      rows.push([order, day(d), customer, PRODUCTS[lang][Math.floor(next() * 6)] as string, Math.round(sales * scale), Math.round(sales * scale * (0.05 + next() * 0.3))]);
    }
    order++;
  }
  return rows;
}

/** A workbook holding only an order-line export: what the roll-up offer is for. */
export function demoOrdersWorkbook(lang: Lang): MemoryWorkbook {
  const sheet = lang === 'zh' ? '订单' : 'Orders';
  const book = MemoryWorkbook.fromRows(sheet, demoOrderLines(lang));
  book.selection = { sheet, row: 1, col: 2 };
  return book;
}
