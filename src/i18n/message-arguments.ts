import IntlMessageFormat from 'intl-messageformat';

/** The parts of ICU's syntax tree read here (@formatjs/icu-messageformat-parser's elements). */
interface Element {
  readonly type: number;
  readonly value?: unknown;
  readonly options?: Record<string, { readonly value: readonly Element[] }>;
  readonly children?: readonly Element[];
}

// The parser's TYPE numbers: argument, number, date, time, select, plural; and tag (rich text).
const ARGUMENT_TYPES = new Set([1, 2, 3, 4, 5, 6]);
const TAG = 8;

export interface MessageArguments {
  /** The values the message reads (`{clientName}`, `{count, plural, …}`). */
  readonly values: ReadonlySet<string>;
  /** Its rich-text tags (`<strong>`, `<link>`). */
  readonly tags: ReadonlySet<string>;
}

/**
 * What a message needs from the code that formats it, read from its ICU syntax tree (it throws
 * when the message does not parse). A translation must take the same, or a value would go missing
 * from the sentence: the catalogue test compares each with English.
 */
export function messageArguments(message: string, locale: string): MessageArguments {
  const values = new Set<string>();
  const tags = new Set<string>();
  const walk = (elements: readonly Element[]) => {
    for (const element of elements) {
      if (element.type === TAG) tags.add(String(element.value));
      else if (ARGUMENT_TYPES.has(element.type)) values.add(String(element.value));
      for (const option of Object.values(element.options ?? {})) walk(option.value);
      if (element.children) walk(element.children);
    }
  };
  walk(new IntlMessageFormat(message, locale).getAst() as unknown as readonly Element[]);
  return { values, tags };
}
