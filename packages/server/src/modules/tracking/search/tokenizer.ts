import { invalidParameter } from '../../../core/errors.js';

/**
 * Lexer for MLflow's search grammar (filters and order_by clauses). MLflow feeds these strings to
 * sqlparse; we only need the handful of token shapes its grammar uses, and everything else is an
 * error here rather than something that could reach SQL. No token's text is ever spliced into a
 * query: the parser turns tokens into typed values that end up as bound parameters.
 */
export type TokenKind =
  | 'word' // bare identifier part or keyword: letters, digits, underscore
  | 'single' // 'single-quoted string'
  | 'double' // "double-quoted string or identifier"
  | 'backtick' // `backtick-quoted identifier`
  | 'number'
  | 'operator' // = == != <> < <= > >=
  | 'dot'
  | 'comma'
  | 'lparen'
  | 'rparen'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Unescaped content for quoted tokens; the source text otherwise. */
  text: string;
  /** The token exactly as written, for error messages. */
  raw: string;
  /** Offset of the token in the source string. */
  pos: number;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const DIGIT = /[0-9]/;
// Sticky, so matching at an offset needs no copy of the rest of the input.
const NUMBER = /[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/y;
const OPERATORS = ['==', '!=', '<>', '<=', '>=', '=', '<', '>'] as const;

/** Kinds after which a `.` joins identifier parts, so `.5` there is not a number. */
const PART_KINDS: ReadonlySet<TokenKind> = new Set(['word', 'double', 'backtick']);

/**
 * Splits `source` into tokens. `what` names the input in errors ("filter", "order_by clause") so a
 * client can tell which request field was wrong.
 */
export function tokenize(source: string, what: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (detail: string): never => {
    throw invalidParameter(`Invalid ${what} '${source}': ${detail}`);
  };
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/u.test(ch)) {
      i += 1;
      continue;
    }
    const start = i;
    const prev = tokens[tokens.length - 1];
    const afterDot = prev?.kind === 'dot';
    if (ch === "'" || ch === '"' || ch === '`') {
      const { text, end } = readQuoted(source, i, fail);
      tokens.push({ kind: ch === "'" ? 'single' : ch === '"' ? 'double' : 'backtick', text, raw: source.slice(start, end), pos: start });
      i = end;
      continue;
    }
    // A key after a dot may start with a digit (`metrics.1st`), so parts win over numbers there.
    if (afterDot && WORD_CHAR.test(ch)) {
      i = readWordEnd(source, i);
      tokens.push({ kind: 'word', text: source.slice(start, i), raw: source.slice(start, i), pos: start });
      continue;
    }
    NUMBER.lastIndex = i;
    const numberMatch = startsNumber(source, i, prev) ? NUMBER.exec(source) : null;
    if (numberMatch) {
      i += numberMatch[0].length;
      if (i < source.length && WORD_CHAR.test(source[i]!)) fail(`malformed number '${source.slice(start, readWordEnd(source, i))}' at position ${start}`);
      tokens.push({ kind: 'number', text: numberMatch[0], raw: numberMatch[0], pos: start });
      continue;
    }
    if (WORD_CHAR.test(ch)) {
      i = readWordEnd(source, i);
      tokens.push({ kind: 'word', text: source.slice(start, i), raw: source.slice(start, i), pos: start });
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'operator', text: op, raw: op, pos: start });
      i += op.length;
      continue;
    }
    const punctuation = ch === '.' ? 'dot' : ch === ',' ? 'comma' : ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : undefined;
    if (punctuation) {
      tokens.push({ kind: punctuation, text: ch, raw: ch, pos: start });
      i += 1;
      continue;
    }
    fail(`unexpected character '${ch}' at position ${start}`);
  }
  tokens.push({ kind: 'eof', text: '', raw: 'end of input', pos: source.length });
  return tokens;
}

function readWordEnd(source: string, i: number): number {
  let j = i;
  while (j < source.length && WORD_CHAR.test(source[j]!)) j += 1;
  return j;
}

/** Whether a number starts at `i`: a digit, or a sign/dot followed by one, outside identifier paths. */
function startsNumber(source: string, i: number, prev: Token | undefined): boolean {
  const ch = source[i]!;
  if (DIGIT.test(ch)) return true;
  const next = source[i + 1] ?? '';
  if (ch === '.') return DIGIT.test(next) && !(prev && PART_KINDS.has(prev.kind));
  if (ch === '-' || ch === '+') return DIGIT.test(next) || (next === '.' && DIGIT.test(source[i + 2] ?? ''));
  return false;
}

/**
 * Reads a quoted token starting at `start`. Inside, a doubled delimiter or a backslash before the
 * delimiter stands for the delimiter itself. Any other backslash pair is kept verbatim (and
 * consumed as a pair, so `'a\\'` ends where a reader expects): LIKE patterns give backslash its
 * own meaning later, and equality compares the text as written, as MLflow does.
 */
function readQuoted(source: string, start: number, fail: (detail: string) => never): { text: string; end: number } {
  const quote = source[start]!;
  let text = '';
  let i = start + 1;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\\' && i + 1 < source.length) {
      const next = source[i + 1]!;
      text += next === quote ? quote : ch + next;
      i += 2;
      continue;
    }
    if (ch === quote) {
      if (source[i + 1] === quote) {
        text += quote;
        i += 2;
        continue;
      }
      return { text, end: i + 1 };
    }
    text += ch;
    i += 1;
  }
  return fail(`unterminated quoted text starting at position ${start}`);
}

/** Whether `token` is the keyword `word`, case-insensitively as in SQL. */
export function isKeyword(token: Token, word: string): boolean {
  return token.kind === 'word' && token.text.toUpperCase() === word;
}

/** Cursor over a token list for the recursive-descent parsers. */
export class TokenStream {
  private index = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index += 1;
    return token;
  }

  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }
}
