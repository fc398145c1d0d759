import { type Table, withFootnotes } from '../report/table.js';

export const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function tableHtml(whole: Table): string {
  const table = withFootnotes(whole);
  // data-label: on a phone each row becomes a card whose cells name their column (report-html.ts's style).
  const cell = (tag: 'td' | 'th', text: string, index: number) =>
    `<${tag}${table.numeric[index] ? ' class="num"' : ''}${tag === 'td' ? ` data-label="${escapeHtml(table.header[index] ?? '')}"` : ''}>` +
    `${escapeHtml(text)}</${tag}>`;
  return [
    `<section id="${escapeHtml(table.id)}">`,
    `<h2>${escapeHtml(table.title)}</h2>`,
    '<div class="scroll"><table>',
    `<thead><tr>${table.header.map((text, index) => cell('th', text, index)).join('')}</tr></thead>`,
    `<tbody>${table.rows.map((row) => `<tr>${row.map((text, index) => cell('td', text, index)).join('')}</tr>`).join('\n')}</tbody>`,
    '</table></div>',
    ...table.notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`),
    '</section>',
  ].join('\n');
}
