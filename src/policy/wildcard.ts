/**
 * String patterns as IAM writes them: `*` / `?` wildcards (StringLike, Action, Resource,
 * ArnLike), policy variables `${key}` / `${key, 'default'}` and the escapes `${*}` `${?}` `${$}`.
 * Patterns without variables compile to one RegExp (or a plain comparison) once; patterns with
 * variables build their RegExp per resolved text and keep a small cache.
 */
import type { PatternMatcher, VariableResolver } from './types.js';

/**
 * exact: wildcards are literal (StringEquals); exact-ci: the same, ignoring case;
 * like: `*` any run of characters, `?` one character; arn: like, but in the first five
 * colon-separated segments a wildcard never crosses a colon (IAM's per-segment ARN matching).
 */
export type PatternMode = 'exact' | 'exact-ci' | 'like' | 'arn';

type Token = { t: 'lit'; v: string } | { t: 'star' } | { t: 'one' } | { t: 'var'; key: string; fallback?: string };

export interface CompiledPattern {
  matcher: PatternMatcher;
  /** Lower-cased keys of the policy variables the pattern uses. */
  variables: string[];
}

const VARIABLE = /^\s*([^,\s][^,]*?)\s*(?:,\s*'([^']*)'\s*)?$/;

/** Splits a policy string into literal text, wildcards and variables. */
export function tokenize(text: string, wildcards: boolean, variables: boolean): Token[] {
  const tokens: Token[] = [];
  let literal = '';
  const flush = () => {
    if (literal) tokens.push({ t: 'lit', v: literal });
    literal = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (variables && c === '$' && text[i + 1] === '{') {
      const end = text.indexOf('}', i + 2);
      if (end > i + 2) {
        const inner = text.slice(i + 2, end);
        if (inner === '*' || inner === '?' || inner === '$') {
          literal += inner;
          i = end;
          continue;
        }
        const m = VARIABLE.exec(inner);
        if (m) {
          flush();
          const fallback = m[2];
          tokens.push({ t: 'var', key: (m[1] as string).toLowerCase(), ...(fallback !== undefined ? { fallback } : {}) });
          i = end;
          continue;
        }
      }
    }
    if (wildcards && (c === '*' || c === '?')) {
      flush();
      tokens.push(c === '*' ? { t: 'star' } : { t: 'one' });
      continue;
    }
    literal += c;
  }
  flush();
  return tokens;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Regex source for literal pieces and wildcards; ARN mode tracks the colon count. */
function regexSource(pieces: ReadonlyArray<string | 'star' | 'one'>, mode: PatternMode, literalPieces: boolean[]): string {
  let source = '^';
  let colons = 0;
  pieces.forEach((piece, i) => {
    if (literalPieces[i]) {
      source += escapeRegExp(piece);
      if (mode === 'arn') for (const ch of piece) if (ch === ':') colons++;
    } else if (piece === 'star') {
      source += mode === 'arn' && colons < 5 ? '[^:]*' : '[\\s\\S]*';
    } else {
      source += mode === 'arn' && colons < 5 ? '[^:]' : '[\\s\\S]';
    }
  });
  return `${source}$`;
}

class StaticExact implements PatternMatcher {
  constructor(
    private readonly text: string,
    private readonly ignoreCase: boolean,
  ) {}
  matches(value: string): boolean {
    return this.ignoreCase ? value.toLowerCase() === this.text : value === this.text;
  }
}

class StaticRegExp implements PatternMatcher {
  constructor(private readonly re: RegExp) {}
  matches(value: string): boolean {
    return this.re.test(value);
  }
}

const ANY: PatternMatcher = { matches: () => true };

const CACHE_LIMIT = 256;

/** A pattern with policy variables: resolved per request, RegExps cached by resolved text. */
class VariablePattern implements PatternMatcher {
  private readonly cache = new Map<string, RegExp>();
  constructor(
    private readonly tokens: readonly Token[],
    private readonly mode: PatternMode,
  ) {}

  matches(value: string, vars: VariableResolver): boolean {
    const pieces: Array<string | 'star' | 'one'> = [];
    const literal: boolean[] = [];
    for (const token of this.tokens) {
      if (token.t === 'lit') {
        pieces.push(token.v);
        literal.push(true);
      } else if (token.t === 'var') {
        const resolved = vars.resolve(token.key) ?? token.fallback;
        if (resolved === undefined) return false;
        pieces.push(resolved);
        literal.push(true);
      } else {
        pieces.push(token.t);
        literal.push(false);
      }
    }
    if (this.mode === 'exact' || this.mode === 'exact-ci') {
      const text = pieces.join('');
      return this.mode === 'exact' ? value === text : value.toLowerCase() === text.toLowerCase();
    }
    const source = regexSource(pieces, this.mode, literal);
    let re = this.cache.get(source);
    if (!re) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      re = new RegExp(source);
      this.cache.set(source, re);
    }
    return re.test(value);
  }
}

/** Compiles one policy string. `variables` is false for 2008-10-17 policies and for operators that take none. */
export function compilePattern(text: string, mode: PatternMode, variables: boolean): CompiledPattern {
  const wildcards = mode === 'like' || mode === 'arn';
  const tokens = tokenize(text, wildcards, variables);
  const keys = tokens.flatMap((token) => (token.t === 'var' && token.fallback === undefined ? [token.key] : []));
  if (tokens.some((token) => token.t === 'var')) {
    return { matcher: new VariablePattern(tokens, mode), variables: keys };
  }
  if (tokens.length === 1 && tokens[0]?.t === 'star' && mode === 'like') return { matcher: ANY, variables: [] };
  if (mode === 'arn' && tokens.length === 1 && tokens[0]?.t === 'star') return { matcher: ANY, variables: [] };
  if (tokens.every((token) => token.t === 'lit')) {
    const text2 = tokens.map((token) => (token.t === 'lit' ? token.v : '')).join('');
    return { matcher: new StaticExact(mode === 'exact-ci' ? text2.toLowerCase() : text2, mode === 'exact-ci'), variables: [] };
  }
  const pieces = tokens.map((token) => (token.t === 'lit' ? token.v : token.t === 'star' ? 'star' : 'one'));
  const literal = tokens.map((token) => token.t === 'lit');
  return { matcher: new StaticRegExp(new RegExp(regexSource(pieces, mode, literal))), variables: [] };
}

/** Regex source for an action-style pattern (`*`, `?`), for combining several into one RegExp. */
export function wildcardSource(text: string): string {
  const tokens = tokenize(text, true, false);
  const pieces = tokens.map((token) => (token.t === 'lit' ? token.v : token.t === 'star' ? 'star' : 'one'));
  const source = regexSource(
    pieces,
    'like',
    tokens.map((token) => token.t === 'lit'),
  );
  return source.slice(1, -1);
}

export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}
