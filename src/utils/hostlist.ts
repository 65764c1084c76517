/**
 * Expands a Slurm compressed hostlist ("node[01-03,07],gpu5") into names. The backend keeps lists
 * compressed (DESIGN §4); pages expand only the few they show or join on.
 */
export function expandHostlist(list: string | null | undefined, limit = 100_000): string[] {
  if (!list) {
    return [];
  }
  const out: string[] = [];
  // Split on commas outside brackets.
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '[') {
      depth++;
    } else if (c === ']') {
      depth--;
    } else if (c === ',' && depth === 0) {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(list.slice(start));
  for (const part of parts) {
    expandOne(part.trim(), out, limit);
    if (out.length >= limit) {
      break;
    }
  }
  return out;
}

function expandOne(part: string, out: string[], limit: number) {
  const open = part.indexOf('[');
  if (open < 0) {
    if (part) {
      out.push(part);
    }
    return;
  }
  const close = part.indexOf(']', open);
  const prefix = part.slice(0, open);
  const rest = part.slice(close + 1);
  for (const range of part.slice(open + 1, close).split(',')) {
    const [lo, hi = lo] = range.split('-');
    const width = lo.length;
    for (let n = Number(lo); n <= Number(hi) && out.length < limit; n++) {
      // The rest may hold another bracket (rack[1-2]n[1-4]); expand it recursively.
      const tails: string[] = [];
      expandOne(rest, tails, limit);
      const head = prefix + String(n).padStart(width, '0');
      if (tails.length === 0) {
        out.push(head);
      } else {
        tails.forEach((t) => out.push(head + t));
      }
    }
  }
}

/** Escapes a node name for a PromQL/RE2 regular expression. */
export function regexEscape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether a compressed hostlist names `node`, without expanding it: for "prefix[ranges]suffix" items the
 * prefix and suffix must frame the name and its number fall in a range. The node map asks this of every
 * running job on hover; expanding 30k lists each time would not fit the 200 ms budget.
 */
export function hostlistContains(list: string | null | undefined, node: string): boolean {
  if (!list) {
    return false;
  }
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= list.length; i++) {
    const c = list[i];
    if (c === '[') {
      depth++;
    } else if (c === ']') {
      depth--;
    } else if (i === list.length || (c === ',' && depth === 0)) {
      if (itemContains(list.slice(start, i), node)) {
        return true;
      }
      start = i + 1;
    }
  }
  return false;
}

function itemContains(item: string, node: string): boolean {
  const open = item.indexOf('[');
  if (open < 0) {
    return item === node;
  }
  const prefix = item.slice(0, open);
  if (!node.startsWith(prefix)) {
    return false;
  }
  const close = item.indexOf(']', open);
  const suffix = item.slice(close + 1);
  if (suffix.includes('[')) {
    // Several bracket groups (multi-dimensional names): rare, expand this one item.
    return expandHostlist(item).includes(node);
  }
  if (!node.endsWith(suffix) || node.length < prefix.length + suffix.length + 1) {
    return false;
  }
  const digits = node.slice(prefix.length, node.length - suffix.length);
  if (!/^\d+$/.test(digits)) {
    return false;
  }
  const n = Number(digits);
  return item
    .slice(open + 1, close)
    .split(',')
    .some((range) => {
      const [lo, hi = lo] = range.split('-');
      // Zero padding is part of the name: node05 is in [01-10], node5 is not.
      return (
        n >= Number(lo) &&
        n <= Number(hi) &&
        (lo.length === digits.length || (lo.length < digits.length && digits[0] !== '0'))
      );
    });
}
