import type { IssueSink } from './issues.ts';
import { refuse } from './issues.ts';

interface Cut {
  start: number;
  end: number;
  kind: 'trailing-comma' | 'trailing-content';
}

class JsonSyntaxError extends Error {
  readonly offset: number;
  readonly en: string;
  readonly ko: string;
  constructor(offset: number, en: string, ko: string) {
    super(en);
    this.offset = offset;
    this.en = en;
    this.ko = ko;
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * Walks JSON text to find where it breaks, because `JSON.parse` messages differ by engine and often give no
 * position. Trailing commas and text after the document are noted as repairable cuts; anything else stops the walk.
 */
const scanJson = (text: string): { cuts: Cut[]; error?: JsonSyntaxError } => {
  const n = text.length;
  const cuts: Cut[] = [];
  let i = 0;
  const fail = (en: string, ko: string): never => {
    throw new JsonSyntaxError(i, en, ko);
  };
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) {
        return;
      }
      i++;
    }
  };
  const string = (): void => {
    i++;
    for (;;) {
      if (i >= n) {
        fail('Unterminated string', '문자열이 닫히지 않았습니다');
      }
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!HEX4.test(text.slice(i + 2, i + 6))) {
            fail('Invalid \\u escape in string', '문자열의 \\u 이스케이프가 잘못되었습니다');
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          fail('Invalid escape in string', '문자열의 이스케이프가 잘못되었습니다');
        }
      } else if (c < 32) {
        fail('Control character in string', '문자열에 제어 문자가 있습니다');
      } else {
        i++;
      }
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      container('}');
    } else if (c === '[') {
      container(']');
    } else if (c === '"') {
      string();
    } else if (c === 't' || c === 'f' || c === 'n') {
      const word = c === 't' ? 'true' : c === 'f' ? 'false' : 'null';
      if (text.startsWith(word, i)) {
        i += word.length;
      } else {
        fail(`Unexpected token '${c}'`, `예상하지 못한 토큰 '${c}'`);
      }
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) {
        fail('Invalid number', '숫자 형식이 잘못되었습니다');
      }
      i = NUMBER.lastIndex;
    } else if (c === undefined) {
      fail('Unexpected end of JSON', 'JSON이 도중에 끝났습니다');
    } else {
      fail(`Unexpected character '${c}'`, `예상하지 못한 문자 '${c}'`);
    }
  };
  const container = (close: '}' | ']'): void => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      if (close === '}') {
        ws();
        if (text[i] !== '"') {
          fail('Expected a property name in double quotes', '큰따옴표로 감싼 속성 이름이 필요합니다');
        }
        string();
        ws();
        if (text[i] !== ':') {
          fail("Expected ':' after property name", "속성 이름 뒤에 ':'가 필요합니다");
        }
        i++;
      }
      value();
      ws();
      if (text[i] === ',') {
        const comma = i;
        i++;
        ws();
        if (text[i] === close) {
          cuts.push({ start: comma, end: comma + 1, kind: 'trailing-comma' });
          i++;
          return;
        }
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      fail(`Expected ',' or '${close}'`, `',' 또는 '${close}'가 필요합니다`);
    }
  };
  try {
    value();
    ws();
    if (i < n) {
      cuts.push({ start: i, end: n, kind: 'trailing-content' });
    }
    return { cuts };
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      return { cuts, error: e };
    }
    throw e;
  }
};

/** 1-based line and column of an offset. */
export const locateOffset = (text: string, offset: number): { line: number; column: number } => {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
};

/**
 * Parses JSON text. Invalid JSON is refused with its line and column; in lenient mode a trailing comma (the
 * published Red Hat mandrel SBOM) or text after the document (the PowerShell SBOM with a web page footer) is cut
 * and listed as an issue, and the rest is parsed.
 * @throws AppError VALIDATION_FAILED
 */
export const parseJsonText = (text: string, sink: IssueSink): unknown => {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch {
    // fall through to locate the problem
  }
  const { cuts, error } = scanJson(body);
  const first = cuts[0];
  if (error) {
    const { line, column } = locateOffset(body, error.offset);
    const at = {
      line,
      en: `${error.en} at line ${line} column ${column}`,
      ko: `${error.ko} (${line}행 ${column}열)`,
    };
    if (!first || first.start > error.offset) {
      return refuse({ line, en: `Invalid JSON: ${at.en}`, ko: `JSON 구문 오류: ${at.ko}` });
    }
    if (sink.lenient) {
      return refuse({
        line,
        en: `Invalid JSON that cannot be repaired: ${at.en}`,
        ko: `복구할 수 없는 JSON 구문 오류: ${at.ko}`,
      });
    }
  }
  let repaired = '';
  let from = 0;
  for (const cut of cuts) {
    const { line, column } = locateOffset(body, cut.start);
    const trailing = cut.kind === 'trailing-content';
    sink.add({
      dropped: 'document',
      line,
      en: trailing
        ? `Text after the end of the JSON document at line ${line} column ${column} was ignored`
        : `Trailing comma at line ${line} column ${column} was ignored (invalid JSON)`,
      ko: trailing
        ? `JSON 문서 끝(${line}행 ${column}열) 뒤의 텍스트를 무시했습니다`
        : `${line}행 ${column}열의 후행 쉼표를 무시했습니다 (잘못된 JSON)`,
    });
    repaired += body.slice(from, cut.start);
    from = cut.end;
  }
  repaired += body.slice(from);
  return JSON.parse(repaired);
};
