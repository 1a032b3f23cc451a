// The one way components get user-visible text: `t('toolbar.save')`, with `{name}` placeholders filled
// from `vars`, and `{count|block|blocks}` choosing the singular when `count` is 1. Strings live in en.ts
// (one table, ready for translation); a missing key shows itself.
import { en } from './en.js';

type Table = { [key: string]: string | Table };

function lookup(table: Table, path: string): string | undefined {
  let node: string | Table | undefined = table;
  for (const part of path.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export function t(key: string, vars: Record<string, string | number> = {}): string {
  const text = lookup(en as unknown as Table, key) ?? key;
  return text
    .replace(/\{(\w+)\|([^|}]*)\|([^}]*)\}/g, (whole, name: string, one: string, many: string) =>
      name in vars ? (Number(vars[name]) === 1 ? one : many) : whole,
    )
    .replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
