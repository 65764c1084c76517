import { asList } from './types';

// The editors show a list filter as one chip per value, whichever form a saved query holds it in
// (pkg/query StringList: an array, or one string with a comma list or a dashboard variable).
describe('asList', () => {
  it('shows a comma list as its values, trimmed, without empty entries', () => {
    expect(asList('cpu, gpu,,')).toEqual(['cpu', 'gpu']);
  });

  it('keeps a multi-value dashboard variable whole, as one value', () => {
    expect(asList('${partition:csv}')).toEqual(['${partition:csv}']);
  });

  it('shows an array as it is and an absent filter as no values', () => {
    expect(asList(['alice', 'bob'])).toEqual(['alice', 'bob']);
    expect(asList(undefined)).toEqual([]);
    expect(asList('')).toEqual([]);
  });
});
