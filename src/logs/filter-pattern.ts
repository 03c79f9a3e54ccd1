/**
 * The subset of CloudWatch Logs filter-pattern syntax batchlink evaluates (FilterLogEvents),
 * after AWS's "Filter pattern syntax" page, for unstructured events:
 *   - empty or blank: every event;
 *   - terms separated by spaces: every term must occur (case-sensitive substring);
 *   - "quoted phrases" (\" escapes a quote) count as one term;
 *   - ?term: at least one of the ?-terms must occur;  -term: the term must not occur;
 *   - %regex%: a standalone regular expression with AWS's allowed characters (no parentheses).
 * JSON patterns `{ $.x = … }` and space-delimited patterns `[a, b]` are refused, not guessed.
 */
import { ApiError } from '../core/errors.js';

export type Matcher = (message: string) => boolean;

function refuse(message: string): never {
  throw new ApiError('InvalidParameterException', message);
}

// AWS: alphanumerics, the symbols : _ # = @ / ; , - and the operators ^ $ ? [ ] { } | \ * + .
const REGEX_ALLOWED = /^[A-Za-z0-9:_#=@/;,\-^$?[\]{}|\\*+.]*$/;

export function compileFilterPattern(pattern: string | undefined): Matcher {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  if (text.startsWith('{')) {
    refuse('batchlink does not evaluate JSON filter patterns ({ $.field … }); use terms, ?terms, -terms, "phrases" or %regex%.');
  }
  if (text.startsWith('[')) {
    refuse('batchlink does not evaluate space-delimited filter patterns ([w1, w2 …]); use terms, ?terms, -terms, "phrases" or %regex%.');
  }
  if (text.length >= 2 && text.startsWith('%') && text.endsWith('%')) return compileRegex(text.slice(1, -1));
  return compileTerms(text);
}

function compileRegex(source: string): Matcher {
  if (source === '' || !REGEX_ALLOWED.test(source)) {
    refuse(
      `Invalid regex in filter pattern: %${source}%. Allowed are letters, digits, : _ # = @ / ; , - and the operators ^ $ ? [ ] { } | \\ * + . (no parentheses).`,
    );
  }
  let regex: RegExp;
  try {
    regex = new RegExp(source);
  } catch {
    refuse(`Invalid regex in filter pattern: %${source}%.`);
  }
  return (message) => regex.test(message);
}

interface Term {
  kind: 'all' | 'any' | 'none';
  text: string;
}

function compileTerms(text: string): Matcher {
  const terms = tokenize(text);
  const all = terms.filter((t) => t.kind === 'all').map((t) => t.text);
  const any = terms.filter((t) => t.kind === 'any').map((t) => t.text);
  const none = terms.filter((t) => t.kind === 'none').map((t) => t.text);
  return (message) =>
    all.every((t) => message.includes(t)) &&
    (any.length === 0 || any.some((t) => message.includes(t))) &&
    !none.some((t) => message.includes(t));
}

function tokenize(text: string): Term[] {
  const terms: Term[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (i >= text.length) break;
    let kind: Term['kind'] = 'all';
    if (text[i] === '?') {
      kind = 'any';
      i++;
    } else if (text[i] === '-' && i + 1 < text.length && !/\s/.test(text[i + 1] ?? '')) {
      kind = 'none';
      i++;
    }
    let term = '';
    if (text[i] === '"') {
      i++;
      let closed = false;
      while (i < text.length) {
        const c = text[i] ?? '';
        if (c === '\\' && text[i + 1] === '"') {
          term += '"';
          i += 2;
        } else if (c === '"') {
          closed = true;
          i++;
          break;
        } else {
          term += c;
          i++;
        }
      }
      if (!closed) refuse(`Invalid filter pattern: unterminated quoted phrase in ${text}`);
    } else {
      while (i < text.length && !/\s/.test(text[i] ?? '')) term += text[i++];
    }
    if (term !== '') terms.push({ kind, text: term });
  }
  return terms;
}
