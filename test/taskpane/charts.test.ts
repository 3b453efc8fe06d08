/**
 * The pane's pictures and colours: SVG that carries its data and a text equivalent, and tier
 * colours that keep WCAG AA contrast.
 */
import { defaultRules } from '../../src/engine';
import { OUTCOME_IDS } from '../../src/engine/types';
import { bandsText, escapeXml, histogramSvg, hoursSvg, portfolioSvg, tierBarsSvg } from '../../src/taskpane/charts';
import { contrastRatio, PANE_BACKGROUNDS, TIER_BAR_DARK, TIER_PALETTE, tierColours } from '../../src/taskpane/palette';

it('draws one bar per tier with its count, and labels the picture', () => {
  const svg = tierBarsSvg(
    [
      { outcome: 'strategic', label: 'Strategic', count: 4 },
      { outcome: 'key', label: 'Key <&>', count: 0 },
    ],
    'Accounts per tier: Strategic 4, Key 0',
  );
  expect(svg).toContain('role="img"');
  expect(svg).toContain('aria-label="Accounts per tier: Strategic 4, Key 0"');
  expect(svg).toContain('data-tier="strategic" data-count="4"');
  expect(svg).toContain('Key &lt;&amp;&gt;');
});

it('colours each score band by the tier it starts in', () => {
  const svg = histogramSvg([0, 0, 0, 1, 2, 3, 4, 5, 6, 7], { strategic: 75, key: 60, develop: 40 }, 'scores');
  const bands = [...svg.matchAll(/fill="(#[0-9A-F]{6})" data-band="(\d+)"/g)].map((m) => [Number(m[2]), m[1]]);
  expect(bands.find(([b]) => b === 30)?.[1]).toBe(TIER_PALETTE.maintain.bar);
  expect(bands.find(([b]) => b === 40)?.[1]).toBe(TIER_PALETTE.develop.bar);
  expect(bands.find(([b]) => b === 60)?.[1]).toBe(TIER_PALETTE.key.bar);
  expect(bands.find(([b]) => b === 80)?.[1]).toBe(TIER_PALETTE.strategic.bar);
});

it('places portfolio points by quadrant and draws the capacity line', () => {
  const svg = portfolioSvg(
    [{ score: 80, strength: 20, quadrant: 'star', account: 'A & B' }],
    { attractiveness: 50, strength: 50 },
    { quadrant: { strategic: 'Strategic', star: 'Star', status: 'Status', streamline: 'Streamline' }, x: 'Strength', y: 'Score' },
    'matrix',
  );
  expect(svg).toContain('data-quadrant="star"');
  expect(svg).toContain('A &amp; B: 80 / 20');
  const hours = hoursSvg([{ outcome: 'strategic', label: 'Strategic', hours: 32 }], 20, 'hours');
  expect(hours).toContain('data-capacity="20"');
  expect(escapeXml(`"'`)).toBe('&quot;&#39;');
});

it('keeps every tier colour pair at 4.5:1 contrast or more', () => {
  for (const outcome of OUTCOME_IDS) {
    const { fill, font } = TIER_PALETTE[outcome];
    expect([outcome, contrastRatio(fill, font) >= 4.5]).toEqual([outcome, true]);
  }
});

it('colours tier labels in both languages, each once', () => {
  const colours = tierColours(defaultRules());
  expect(colours.map((c) => c.text)).toEqual([
    'Strategic',
    '战略大客户',
    'Key',
    '大客户',
    'Develop',
    '潜力客户',
    'Maintain',
    '维持客户',
    'Excluded',
    '排除',
    'Insufficient data',
    '数据不足',
    'Invalid input',
    '输入有误',
  ]);
});

it('keeps every chart mark at 3:1 against the light and the dark pane', () => {
  for (const outcome of OUTCOME_IDS) {
    for (const bg of PANE_BACKGROUNDS.light) expect([outcome, bg, contrastRatio(TIER_PALETTE[outcome].bar, bg) >= 3]).toEqual([outcome, bg, true]);
    for (const bg of PANE_BACKGROUNDS.dark) expect([outcome, bg, contrastRatio(TIER_BAR_DARK[outcome], bg) >= 3]).toEqual([outcome, bg, true]);
  }
});

it('draws chart text in the pane text colour, and marks with a class the theme can recolour', () => {
  const svg = histogramSvg([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { strategic: 75, key: 60, develop: 40 }, 'scores');
  const textFills = [...svg.matchAll(/<text [^>]*fill="([^"]+)"/g)].map((m) => m[1]);
  expect(new Set(textFills)).toEqual(new Set(['currentColor']));
  expect(svg).toMatch(/<rect class="mark mark-strategic"/);
});

it('writes every chart value as text: band counts, quadrant counts, hours per tier', () => {
  const histogram = histogramSvg([0, 0, 0, 1, 2, 3, 4, 5, 6, 7], { strategic: 75, key: 60, develop: 40 }, 'scores');
  expect([...histogram.matchAll(/data-band-count="\d+"[^>]*>(\d+)</g)].map((m) => Number(m[1]))).toEqual([0, 0, 0, 1, 2, 3, 4, 5, 6, 7]);
  expect(bandsText([1, 2, 0, 0, 0, 0, 0, 0, 0, 4])).toBe('0–9: 1, 10–19: 2, 20–29: 0, 30–39: 0, 40–49: 0, 50–59: 0, 60–69: 0, 70–79: 0, 80–89: 0, 90–100: 4');
  const points = [
    { score: 80, strength: 20, quadrant: 'star' as const, account: 'A' },
    { score: 90, strength: 30, quadrant: 'star' as const, account: 'B' },
    { score: 10, strength: 90, quadrant: 'status' as const, account: 'C' },
  ];
  const matrix = portfolioSvg(
    points,
    { attractiveness: 50, strength: 50 },
    { quadrant: { strategic: 'Strategic', star: 'Star', status: 'Status', streamline: 'Streamline' }, x: 'x', y: 'y' },
    'm',
  );
  expect(matrix).toContain('>Star (2)</text>');
  expect(matrix).toContain('>Status (1)</text>');
  expect(matrix).toContain('>Streamline (0)</text>');
  const hours = hoursSvg(
    [
      { outcome: 'strategic', label: 'Strategic', hours: 32 },
      { outcome: 'key', label: 'Key', hours: 0 },
      { outcome: 'develop', label: 'Develop', hours: 12 },
    ],
    null,
    'h',
    (label, h) => `${label}: ${h} h`,
  );
  expect([...hours.matchAll(/data-hours-label="(\w+)"[^>]*>([^<]*)</g)].map((m) => [m[1], m[2]])).toEqual([
    ['strategic', 'Strategic: 32 h'],
    ['develop', 'Develop: 12 h'],
  ]);
});
