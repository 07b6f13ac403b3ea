import { describe, expect, it } from 'vitest';
import { combineObligations, obligationOf } from './catalog.rules.ts';

describe('obligation rule (MFDS 2025 Ch. I.4)', () => {
  it.each([
    ['디지털의료기기제조업자등은 대책을 마련하여야 한다.', 'mandatory'],
    [
      '이를 즉각 식품의약품안전처장과 의료서비스제공자 및 제품을 이용하는 사용자에게 알려야 한다.',
      'mandatory',
    ],
    ['수립된 계획에 따라 조치해야 한다.', 'mandatory'],
    ['다음 각 호의 사항이 포함되어야 한다.', 'mandatory'],
    ['홈페이지 등에 공개할 수 있다.', 'recommended'],
    ['보호할 수 있도록 대책을 마련하여야 한다.', 'mandatory'],
    ['정보는 보호되어야 하며 데이터 보안을 고려할 수 있다.', 'mixed'],
    ['이 지침은 필요한 사항을 규정함을 목적으로 한다.', 'none'],
    ['공개 할 수 있다.', 'recommended'],
  ] as const)('%s → %s', (text, expected) => {
    expect(obligationOf(text)).toBe(expected);
  });

  it('combines provisions into an article obligation', () => {
    expect(combineObligations(['mandatory', 'mandatory'])).toBe('mandatory');
    expect(combineObligations(['mandatory', 'recommended'])).toBe('mixed');
    expect(combineObligations(['recommended', 'none'])).toBe('recommended');
    expect(combineObligations(['none'])).toBe('none');
  });
});
