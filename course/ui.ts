import { stripVTControlCharacters, styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/** Colour only where a person is looking: a TTY, unless NO_COLOR; FORCE_COLOR wins. */
export const useColor = process.env.FORCE_COLOR ? process.env.FORCE_COLOR !== '0' : Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

export function paint(style: Style, text: string): string {
  return useColor ? styleText(style, text, { validateStream: false }) : text;
}

export const mark = {
  pass: () => paint('green', '✓'),
  fail: () => paint('red', '✗'),
  skip: () => paint('gray', '○'),
};

export function indent(text: string, prefix = '    '): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

/** A plain table: columns padded to their widest cell. */
export function table(rows: string[][]): string {
  const visible = (s: string) => stripVTControlCharacters(s).length;
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => visible(r[c] ?? ''))));
  return rows.map((r) => r.map((cell, c) => cell + ' '.repeat(widths[c]! - visible(cell))).join('  ').trimEnd()).join('\n');
}
