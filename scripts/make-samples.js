#!/usr/bin/env node
/**
 * Regenerates samples/accounts.xlsx and samples/accounts.csv: a realistic sheet of 40 accounts
 * (English and Chinese names) that holds every golden case of test/fixtures/golden-accounts.json
 * (under its `sampleName`), a few blanks, unreadable cells, texts as people type them (18%, 120万,
 * 是), a formula, a date, a link, and "Contacts" and "Needs" sheets; and samples/orders.csv, an
 * order-line export (order, date, customer, product, amount, profit, invoice and payment dates,
 * with returns) for `kam rollup`. Deterministic: the same files every run.
 *
 *   npm run build:node && node scripts/make-samples.js
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ExcelJS = require('exceljs');
const { writeCsv } = require('../dist/src/engine');
const { prng } = require('../dist/bench/data');
const golden = require('../test/fixtures/golden-accounts.json');

const ROOT = path.join(__dirname, '..');
const OUT_DIR = path.join(ROOT, 'samples');

// The benchmark's seeded generator, so the samples never change between runs.
const rand = prng(20240607);
const between = (lo, hi) => lo + (hi - lo) * rand();
const round = (x, step) => Number((Math.round(x / step) * step).toFixed(6));
const pick = (list) => list[Math.floor(rand() * list.length)];

// Notes as account managers write them: most rows have none.
const GOLDEN_NOTES = [
  'price review asked for at the last meeting',
  null,
  'framework contract renewal due in Q3',
  null,
  null,
  '新采购总监已到任',
  'orders through two distributors',
  null,
  'credit limit raised in March',
  null,
  null,
  '年底前可能转向竞争对手',
];

const OTHER_NAMES = [
  'Northwind Traders',
  'Contoso Ltd',
  'Fabrikam Inc',
  'Adventure Works',
  'Tailspin Toys',
  'Wide World Importers',
  'Litware Inc',
  'Proseware',
  'Woodgrove Bank',
  'Alpine Ski House',
  'Coho Winery',
  'Fourth Coffee',
  'Humongous Insurance',
  'Lucerne Publishing',
  '华东精密机械有限公司',
  '深圳市创联电子科技有限公司',
  '北京瑞通物流有限公司',
  '上海恒远家具制造有限公司',
  '广州美佳化妆品有限公司',
  '杭州云帆软件有限公司',
  '成都天府食品有限公司',
  '武汉光谷光电有限公司',
  '青岛海润水产有限公司',
  '苏州金鼎纺织有限公司',
  '天津港联国际贸易有限公司',
  '重庆长江汽车配件有限公司',
  '南京紫金医药有限公司',
  '厦门鹭岛包装材料有限公司',
];

const REGIONS = ['North', 'South', 'East', 'West', '华东', '华南', '华北', '西南'];
const MANAGERS = ['Li Wei', 'Zhang Min', 'Anna Schmidt', 'Tom Becker', '王芳', '陈刚'];

const HEADERS = [
  'Customer',
  'Region',
  'Account manager',
  'Annual sales',
  'Gross margin',
  'Purchase growth',
  'Wallet',
  'Days to pay',
  'Access to goals',
  'Openness to ideas',
  'Last visit',
  'Website',
  'Notes',
];
const COL = Object.fromEntries(HEADERS.map((h, i) => [h, i]));
const letter = (i) => String.fromCharCode(65 + i);

/** One account: the cells of its row, keyed by header. Values are what a cell holds in Excel. */
function goldenAccount(g, i) {
  const v = (id) => (g.inputs[id] === undefined ? null : g.inputs[id]);
  return {
    Customer: g.sampleName,
    Region: pick(REGIONS),
    'Account manager': pick(MANAGERS),
    'Annual sales': v('sales'),
    'Gross margin': v('margin'),
    'Purchase growth': v('growth'),
    Wallet: v('wallet'),
    'Days to pay': v('paymentDays'),
    'Access to goals': v('access'),
    'Openness to ideas': v('openness'),
    Notes: GOLDEN_NOTES[i] ?? null,
  };
}

function otherAccount(name, i) {
  const sales = round(Math.exp(between(Math.log(60000), Math.log(2500000))), 1000);
  const account = {
    Customer: name,
    Region: pick(REGIONS),
    'Account manager': pick(MANAGERS),
    'Annual sales': sales,
    'Gross margin': round(between(-0.02, 0.34), 0.005),
    'Purchase growth': round(between(-0.12, 0.28), 0.005),
    Wallet: round(sales * between(1, 3.2), 1000),
    'Days to pay': Math.round(between(20, 115)),
    'Access to goals': Math.round(between(0, 5)),
    'Openness to ideas': Math.round(between(0, 5)),
    Notes: null,
  };
  // Texts as people type them, and a few blanks: what real sheets hold.
  if (i === 3) Object.assign(account, { 'Annual sales': '85万', 'Gross margin': '22%', Notes: '数据来自财务部' });
  if (i === 8) Object.assign(account, { 'Access to goals': '是', 'Openness to ideas': '否' });
  if (i === 11) Object.assign(account, { Wallet: null, 'Days to pay': null, Notes: 'new account, wallet unknown' });
  if (i === 17) Object.assign(account, { 'Purchase growth': null, 'Access to goals': null, 'Openness to ideas': null, Notes: 'first year with us' });
  if (i === 20) Object.assign(account, { 'Days to pay': '45 days', Notes: 'pays by bank transfer' });
  if (i === 24) Object.assign(account, { Wallet: { formulaOf: 2.5 }, Notes: 'wallet estimated as 2.5 × sales' });
  return account;
}

function accounts() {
  const list = golden.accounts.map(goldenAccount);
  OTHER_NAMES.forEach((name, i) => list.push(otherAccount(name, i)));
  // Interleave so the golden cases are not all at the top: a stable shuffle by the generator.
  return list
    .map((a, i) => ({ a, key: rand(), i }))
    .sort((x, y) => x.key - y.key || x.i - y.i)
    .map((x) => x.a);
}

async function main() {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const rows = accounts();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'kam make-samples';
  workbook.created = new Date(Date.UTC(2025, 0, 1));
  workbook.modified = workbook.created;
  const sheet = workbook.addWorksheet('Accounts', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(HEADERS).font = { bold: true };
  const csvRows = [HEADERS];
  rows.forEach((account, i) => {
    const r = i + 2;
    const visit = new Date(Date.UTC(2025, Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)));
    const site = /^[\x20-\x7e]+$/.test(account.Customer) ? `https://www.${account.Customer.toLowerCase().replace(/[^a-z]+/g, '')}.example` : null;
    const csv = [];
    HEADERS.forEach((header, c) => {
      const cell = sheet.getCell(r, c + 1);
      let value = account[header] === undefined ? null : account[header];
      let text = value === null ? '' : String(value);
      if (header === 'Last visit') {
        value = visit;
        cell.numFmt = 'yyyy-mm-dd';
        text = visit.toISOString().slice(0, 10);
      } else if (header === 'Website' && site) {
        value = { text: site.replace('https://', ''), hyperlink: site };
        text = site.replace('https://', '');
      } else if (value !== null && typeof value === 'object' && 'formulaOf' in value) {
        const sales = account['Annual sales'];
        const result = Math.round(sales * value.formulaOf);
        value = { formula: `${letter(COL['Annual sales'])}${r}*${value.formulaOf}`, result };
        text = String(result);
      } else if (value === '#N/A') {
        value = { error: '#N/A' }; // an error value, as Excel stores it
      } else if (header === 'Notes' && value && value.startsWith('price review')) {
        // A note with a bold word, as people format them: read as its text.
        value = { richText: [{ text: 'price review', font: { bold: true } }, { text: value.slice('price review'.length) }] };
      }
      cell.value = value;
      if (typeof value === 'number') {
        // A margin typed as 18 stays General, as it would in a sheet where the % was forgotten.
        if ((header === 'Gross margin' || header === 'Purchase growth') && Math.abs(value) <= 1) cell.numFmt = '0.0%';
        else if (header === 'Annual sales' || header === 'Wallet') cell.numFmt = '#,##0';
      }
      csv.push(text);
    });
    sheet.getCell(r, COL.Wallet + 1).numFmt = '#,##0';
    csvRows.push(csv);
  });
  HEADERS.forEach((h, c) => {
    sheet.getColumn(c + 1).width = h === 'Customer' ? 30 : h === 'Notes' ? 44 : h === 'Website' ? 28 : 15;
  });

  const contacts = workbook.addWorksheet('Contacts');
  contacts.addRow(['Account', 'Name', 'Role', 'Stance', 'Influence']).font = { bold: true };
  for (const [account, name, role, stance, influence] of [
    ['宁波精工模具有限公司', '周总', '决策者', '支持', '高'],
    ['宁波精工模具有限公司', 'Chen Jie', 'technical', 'neutral', 'medium'],
    ['宁波精工模具有限公司', '刘洋', '内线', '支持', '中'],
    ['Megamart Wholesale', 'Dana Cole', 'economic buyer', 'opponent', 'high'],
    ['Vandelay Industries', 'Art Vandelay', 'economic', 'supporter', 'high'],
    ['Vandelay Industries', 'Kel Varnsen', 'user', 'neutral', 'low'],
  ])
    contacts.addRow([account, name, role, stance, influence]);
  contacts.columns.forEach((c) => (c.width = 24));

  const needs = workbook.addWorksheet('Needs');
  needs.addRow(['Account', 'Need', 'Horizon', 'Months']).font = { bold: true };
  for (const [account, need, horizon, months] of [
    ['上海恒远家具制造有限公司', '降低采购价格', '短期', 3],
    ['上海恒远家具制造有限公司', '产品升级到高端市场', '长期', 12],
    ['宁波精工模具有限公司', 'Faster mould turnaround', 'short term', 4],
    ['Vandelay Industries', 'Second plant supply contract', 'long term', 9],
  ])
    needs.addRow([account, need, horizon, months]);
  needs.columns.forEach((c) => (c.width = 28));

  await workbook.xlsx.writeFile(path.join(OUT_DIR, 'accounts.xlsx'));
  const orders = orderLines();
  fs.writeFileSync(path.join(OUT_DIR, 'orders.csv'), writeCsv(orders, { bom: true }));
  console.log(`Wrote ${orders.length - 1} order lines to samples/orders.csv`);
  // UTF-8 with a byte-order mark, so Excel shows the Chinese names right.
  fs.writeFileSync(path.join(OUT_DIR, 'accounts.csv'), writeCsv(csvRows, { bom: true }));
  console.log(`Wrote ${rows.length} accounts to samples/accounts.xlsx and samples/accounts.csv`);
}

const PRODUCTS = [
  ['Hydraulic pump HP-200', 1850, 0.32],
  ['Bearing set 6204', 42.5, 0.41],
  ['Control valve CV-10', 960, 0.27],
  ['Steel coupling 40mm', 18.9, 0.38],
  ['Servo motor SM-750', 2750, 0.22],
  ['不锈钢法兰 DN50', 126, 0.35],
  ['密封圈套装', 8.6, 0.52],
  ['变频器 VF-3', 4200, 0.18],
];

/**
 * Order lines from 2023-01-03 to 2025-06-30 for 30 customers: steady buyers, growers, a new
 * customer in 2025, one whose returns exceed its purchases in the latest 12 months, and lines with
 * a credit note. Amounts in cents; profit per line; invoice on the order date, payment 10–120 days on.
 */
function orderLines() {
  const day = (d) => new Date(Date.UTC(2023, 0, 3) + d * 86400000).toISOString().slice(0, 10);
  const lastDay = Math.round((Date.UTC(2025, 5, 30) - Date.UTC(2023, 0, 3)) / 86400000);
  const customers = OTHER_NAMES.slice(0, 26).map((name) => ({ name, size: Math.exp(between(Math.log(4), Math.log(60))), trend: between(-0.3, 0.6), payLag: between(15, 110) }));
  customers.push({ name: 'Blue Yonder Airlines', size: 20, trend: 0, payLag: 45, startsAt: Math.round((Date.UTC(2025, 0, 15) - Date.UTC(2023, 0, 3)) / 86400000) });
  customers.push({ name: '长沙湘江机电有限公司', size: 8, trend: 0.1, payLag: 60, returnsAt: Math.round((Date.UTC(2024, 9, 1) - Date.UTC(2023, 0, 3)) / 86400000) });
  customers.push({ name: 'Margie Travel', size: 3, trend: -0.5, payLag: 130 });
  customers.push({ name: '昆明云岭茶业有限公司', size: 6, trend: 0.2, payLag: 35 });
  const rows = [['Order No', 'Order Date', 'Customer', 'Product', 'Quantity', 'Unit Price', 'Sales', 'Profit', 'Invoice Date', 'Payment Date']];
  let order = 50000;
  for (let d = 0; d <= lastDay; d++) {
    for (const c of customers) {
      if (c.startsAt !== undefined && d < c.startsAt) continue;
      if (c.returnsAt !== undefined && d > c.returnsAt) continue;
      // Orders per day grow or shrink with the customer's trend over the two and a half years.
      const rate = (c.size / 365) * Math.pow(1 + c.trend, d / 365);
      if (rand() >= rate) continue;
      order++;
      const lines = 1 + Math.floor(rand() * 3);
      for (let l = 0; l < lines; l++) {
        const [product, price, margin] = pick(PRODUCTS);
        const quantity = 1 + Math.floor(rand() * (price > 1000 ? 4 : 60));
        const sales = round(quantity * price, 0.01);
        const profit = round(sales * (margin + between(-0.08, 0.05)), 0.01);
        const paid = d + Math.round(c.payLag * between(0.7, 1.3));
        rows.push([`SO-${order}`, day(d), c.name, product, String(quantity), String(price), sales.toFixed(2), profit.toFixed(2), day(d), paid <= lastDay ? day(paid) : '']);
      }
    }
  }
  // Credit notes: a damaged delivery, and the customer who sent back a year's goods.
  rows.push([`CN-${++order}`, '2024-11-20', OTHER_NAMES[2], 'Hydraulic pump HP-200', '-2', '1850', '-3700.00', '-1184.00', '2024-11-20', '']);
  rows.push([`CN-${++order}`, '2024-12-10', '长沙湘江机电有限公司', 'Servo motor SM-750', '-12', '2750', '-33000.00', '-7260.00', '2024-12-10', '']);
  return rows;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
