import React from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DataSource } from '../../datasource';
import type { SlurmQuery } from '../../types';
import { QueryEditor } from './QueryEditor';

// `id` is deprecated (removed in Grafana 13) and unused by the data source, so it is left out.
const datasource = new DataSource({
  uid: 'slurm',
  type: 'hpc-slurm-datasource',
  name: 'Slurm',
  access: 'proxy',
  readOnly: false,
  jsonData: {},
  meta: {} as DataSource['meta'],
} as ConstructorParameters<typeof DataSource>[0]);

function renderEditor(query: SlurmQuery) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(<QueryEditor datasource={datasource} query={query} onChange={onChange} onRunQuery={onRunQuery} />);
  return { onChange, onRunQuery };
}

describe('QueryEditor', () => {
  it('shows the chosen query type', () => {
    renderEditor({ refId: 'A', queryType: 'partitions' });
    expect(screen.getByRole('combobox')).toHaveValue('Partitions');
  });

  it('offers jobs, nodes and partitions and runs the query after a change', async () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'A', queryType: 'jobs' });

    await userEvent.click(screen.getByRole('combobox'));
    const options = await screen.findAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual([
      expect.stringContaining('Jobs'),
      expect.stringContaining('Nodes'),
      expect.stringContaining('Partitions'),
    ]);

    await userEvent.click(screen.getByRole('option', { name: /Nodes/ }));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'nodes' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });
});

describe('DataSource', () => {
  it('defaults new queries to jobs', () => {
    expect(datasource.getDefaultQuery('explore' as never)).toEqual({ queryType: 'jobs' });
  });

  it('does not send hidden queries or queries without a type', () => {
    expect(datasource.filterQuery({ refId: 'A', queryType: 'nodes' })).toBe(true);
    expect(datasource.filterQuery({ refId: 'A' })).toBe(false);
    expect(datasource.filterQuery({ refId: 'A', queryType: 'nodes', hide: true })).toBe(false);
  });
});
