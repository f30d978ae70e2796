import { describe, expect, it } from 'vitest';
import { createTokenizer, readDomainDictionary } from '../../../src/adapters/classifier/tokenizer.ts';

describe('jieba tokenizer with the domain dictionary', () => {
  const tok = createTokenizer();

  it('keeps governance terms whole', () => {
    const t = tok.tokenize('网格员巡查发现小区门口占道经营、私搭乱建，井盖缺失，路灯不亮，欠薪的事打了12345');
    for (const w of ['网格员', '占道经营', '私搭乱建', '井盖', '路灯', '欠薪', '12345']) expect(t).toContain(w);
  });

  it('normalises full-width characters and case', () => {
    expect(tok.tokenize('ＫＴＶ噪音１２３４５')).toEqual(expect.arrayContaining(['ktv', '噪音', '12345']));
  });

  it('ships a dictionary of word/frequency/tag lines', () => {
    const lines = readDomainDictionary().split('\n');
    expect(lines.length).toBeGreaterThan(100);
    for (const l of lines) expect(l).toMatch(/^\S+ \d+ [a-z]+$/);
  });
});
