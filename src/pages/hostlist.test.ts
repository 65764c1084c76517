import { expandHostlist, regexEscape } from './hostlist';

describe('expandHostlist', () => {
  it('expands ranges and keeps zero padding', () => {
    expect(expandHostlist('node[01-03,07]')).toEqual(['node01', 'node02', 'node03', 'node07']);
  });
  it('keeps plain names and splits on commas outside brackets', () => {
    expect(expandHostlist('gpu5,node[1-2]')).toEqual(['gpu5', 'node1', 'node2']);
  });
  it('expands nested brackets', () => {
    expect(expandHostlist('r[1-2]n[1-2]')).toEqual(['r1n1', 'r1n2', 'r2n1', 'r2n2']);
  });
  it('is empty for an unset list', () => {
    expect(expandHostlist(null)).toEqual([]);
    expect(expandHostlist('')).toEqual([]);
  });
  it('escapes regex characters', () => {
    expect(regexEscape('a.b')).toBe('a\\.b');
  });
});
