/** A syntax mistake at a 0-based position of the line; the parser turns it into a diagnostic. */
export class BudgetSyntaxError extends Error {
  readonly position: number;

  constructor(message: string, position: number) {
    super(message);
    this.position = position;
  }
}

const NAME = /[A-Za-z0-9_-]+/y;
const SELECTOR_VALUE = /[A-Za-z0-9_.:/+-]+/y;
const NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const UNIT = /[A-Za-zµμ%]+/y;
const WORDS = /[A-Za-z][A-Za-z_-]*(?: +[A-Za-z][A-Za-z_-]*)*/y;

/**
 * A cursor over one line of a budget file. `#` outside a quoted string ends the line, so comments
 * may follow a budget.
 */
export class LineScanner {
  position = 0;
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  peek(offset = 0): string {
    return this.text.charAt(this.position + offset);
  }

  atEnd(): boolean {
    return this.position >= this.text.length || this.peek() === '#';
  }

  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.position += 1;
  }

  /** Consumes a match of a sticky regular expression at the cursor; undefined when none. */
  match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.position;
    const found = pattern.exec(this.text);
    if (found === null || found[0].length === 0) return undefined;
    this.position += found[0].length;
    return found[0];
  }

  name(): string | undefined {
    return this.match(NAME);
  }

  selectorValue(): string | undefined {
    return this.quoted() ?? this.match(SELECTOR_VALUE);
  }

  number(): string | undefined {
    return this.match(NUMBER);
  }

  unit(): string | undefined {
    return this.match(UNIT);
  }

  words(): string | undefined {
    return this.match(WORDS);
  }

  /** A "double" or 'single' quoted string without escapes; undefined when the cursor is not at a quote. */
  quoted(): string | undefined {
    const quote = this.peek();
    if (quote !== '"' && quote !== "'") return undefined;
    const close = this.text.indexOf(quote, this.position + 1);
    if (close < 0) throw new BudgetSyntaxError(`unterminated string: missing the closing ${quote}`, this.position);
    const value = this.text.slice(this.position + 1, close);
    this.position = close + 1;
    return value;
  }

  fail(message: string, position = this.position): never {
    throw new BudgetSyntaxError(message, position);
  }
}
