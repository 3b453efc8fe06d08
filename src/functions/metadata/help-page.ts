/**
 * Renders the function reference (docs/functions.md) as the help page the add-in serves, which the
 * functions' help URLs point into. Only the Markdown the reference uses: headings, paragraphs,
 * lists, tables, fenced code, inline code, bold and links; lines of raw HTML (the `<a id>` anchors)
 * pass through. Kept free of imports so the build can load it on its own.
 */

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Inline Markdown: code spans first, so that nothing inside them is read as Markdown. */
export function renderInline(source: string): string {
  return source
    .split(/(`[^`]*`)/)
    .map((part, i) => {
      if (i % 2 === 1) return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      return escapeHtml(part)
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label: string, href: string) => `<a href="${href}">${label}</a>`);
    })
    .join('');
}

/** A heading's id: lower case, runs of other characters as one hyphen. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

function tableCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => c.trim());
}

export function renderMarkdown(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) out.push(`<p>${renderInline(paragraph.join(' '))}</p>`);
    paragraph = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (line.trim() === '') {
      flush();
    } else if (line.startsWith('```')) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !(lines[i] as string).startsWith('```'); i++) code.push(lines[i] as string);
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
    } else if (heading) {
      flush();
      const level = (heading[1] as string).length;
      const title = (heading[2] as string).trim();
      out.push(`<h${level} id="${slug(title)}">${renderInline(title)}</h${level}>`);
    } else if (line.startsWith('<')) {
      flush();
      out.push(line);
    } else if (line.trimStart().startsWith('|')) {
      flush();
      const rows: string[] = [];
      for (; i < lines.length && (lines[i] as string).trimStart().startsWith('|'); i++) rows.push(lines[i] as string);
      i--;
      const [head, separator, ...body] = rows;
      const hasHead = separator !== undefined && /^\s*\|?[\s:|-]+\|?\s*$/.test(separator);
      const bodyRows = hasHead ? body : rows;
      const th = hasHead
        ? `<thead><tr>${tableCells(head as string)
            .map((c) => `<th>${renderInline(c)}</th>`)
            .join('')}</tr></thead>`
        : '';
      const td = bodyRows
        .map(
          (r) =>
            `<tr>${tableCells(r)
              .map((c) => `<td>${renderInline(c)}</td>`)
              .join('')}</tr>`,
        )
        .join('');
      out.push(`<table>${th}<tbody>${td}</tbody></table>`);
    } else if (/^\s*([-*]|\d+\.)\s+/.test(line)) {
      flush();
      const ordered = /^\s*\d+\./.test(line);
      const items: string[] = [];
      let item: string | null = null;
      for (; i < lines.length; i++) {
        const next = lines[i] as string;
        if (/^\s*([-*]|\d+\.)\s+/.test(next)) {
          if (item !== null) items.push(`<li>${renderInline(item)}</li>`);
          item = next.replace(/^\s*([-*]|\d+\.)\s+/, '');
        } else if (/^\s+\S/.test(next) && item !== null) {
          item += ` ${next.trim()}`; // an indented line continues the item
        } else break;
      }
      if (item !== null) items.push(`<li>${renderInline(item)}</li>`);
      i--;
      out.push(ordered ? `<ol>${items.join('')}</ol>` : `<ul>${items.join('')}</ul>`);
    } else {
      paragraph.push(line.trim());
    }
  }
  flush();
  return out.join('\n');
}

const STYLE = [
  'body{font-family:"Segoe UI",system-ui,sans-serif;line-height:1.5;margin:0;color:#201f1e}',
  'main{max-width:52rem;margin:0 auto;padding:1rem 1.5rem 4rem}',
  'code,pre{font-family:Consolas,"Courier New",monospace;background:#f3f2f1}',
  'pre{padding:.75rem;white-space:pre-wrap}',
  'table{border-collapse:collapse;margin:.5rem 0}',
  'th,td{border:1px solid #c8c6c4;padding:.25rem .5rem;text-align:left;vertical-align:top}',
  'h2{border-top:1px solid #c8c6c4;padding-top:1rem;margin-top:2rem}',
].join('');

/** The whole help page, from the reference's Markdown. */
export function renderHelpPage(markdown: string, title: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="UTF-8" />',
    '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    renderMarkdown(markdown),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
