import { expandHostlist, hostlistContains, regexEscape } from './hostlist';

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

describe('hostlistContains', () => {
  it.each([
    ['node[01-03,07]', 'node02', true],
    ['node[01-03,07]', 'node07', true],
    ['node[01-03,07]', 'node05', false],
    ['node[01-03]', 'node2', false],
    ['node[8-12]', 'node10', true],
    ['gpu5,node[1-2]', 'gpu5', true],
    ['gpu5,node[1-2]', 'gpu50', false],
    ['cn012n[03-10]', 'cn012n05', true],
    ['cn012n[03-10]', 'cn013n05', false],
    ['r[1-2]n[1-2]', 'r2n1', true],
    ['r[1-2]n[1-2]', 'r3n1', false],
    ['rack[1-2]-a', 'rack2-a', true],
    ['', 'node01', false],
  ])('%s contains %s: %s', (list, node, expected) => {
    expect(hostlistContains(list, node)).toBe(expected);
    // Same answer as expanding the list.
    expect(expandHostlist(list).includes(node)).toBe(expected);
  });
});
