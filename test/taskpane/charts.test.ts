/**
 * The pane's pictures and colours: SVG that carries its data and a text equivalent, and tier
 * colours that keep WCAG AA contrast.
 */
import { defaultRules } from '../../src/engine';
import { OUTCOME_IDS } from '../../src/engine/types';
import { escapeXml, histogramSvg, hoursSvg, portfolioSvg, tierBarsSvg } from '../../src/taskpane/charts';
import { contrastRatio, TIER_PALETTE, tierColours } from '../../src/taskpane/palette';

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
  expect(colours.map((c) => c.text)).toEqual(['Strategic', '战略大客户', 'Key', '大客户', 'Develop', '潜力客户', 'Maintain', '维持客户', 'Excluded', '排除', 'Insufficient data', '数据不足', 'Invalid input', '输入有误']);
});
