import { CoreApp } from '@grafana/data';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QUERY_TYPES, type SlurmQuery } from '../../types';
import { installSlurmBackend } from '../../testing/slurmBackend';
import { renderEditor } from '../../testing/renderEditor';
import { QUERY_TYPE_OPTIONS, QueryEditor } from './QueryEditor';
import { forgetCapabilities } from './CapabilityNote';

const BACKEND = {
  'variables/users': ['alice', 'bob', 'carol'],
  'variables/partitions': ['cpu', 'gpu'],
  'variables/states?of=jobs': ['PENDING', 'RUNNING'],
  'variables/states?of=nodes': ['DRAIN', 'IDLE', 'MIXED'],
  'variables/features': ['a100', 'ib'],
  'variables/accounts': ['chemistry', 'physics'],
};

/** The query editor holding its query as a panel does. */
const renderQueryEditor = (initial: SlurmQuery, maxRows?: number, app?: CoreApp) =>
  renderEditor(QueryEditor, initial, { jsonData: maxRows ? { maxRows } : {}, app });

let backend: ReturnType<typeof installSlurmBackend>;
beforeEach(() => {
  forgetCapabilities();
  backend = installSlurmBackend(BACKEND);
});

/** The backend's `capabilities` answer for a Slurm that serves API v0.0.38 (no /shares). */
const V38_CAPABILITIES = {
  apiVersion: 'v0.0.38',
  queryTypes: {
    shares: {
      supported: false,
      since: 'v0.0.40',
      message:
        'The shares query reads the fairshare tree (/shares), which needs slurmrestd API v0.0.40 or later; this data source uses API v0.0.38.',
    },
  },
};

describe('QueryEditor: what the cluster API version can answer', () => {
  it('says before anything runs that the cluster cannot answer a fairshare query', async () => {
    backend = installSlurmBackend({ ...BACKEND, capabilities: V38_CAPABILITIES });
    renderQueryEditor({ refId: 'A', queryType: 'shares' });
    expect(await screen.findByText('Not available with slurmrestd API v0.0.38')).toBeInTheDocument();
    expect(
      screen.getByText(/needs slurmrestd API v0.0.40 or later; this data source uses API v0.0.38/)
    ).toBeInTheDocument();
  });

  it('says nothing for a query type the version has, or when the version is not known', async () => {
    backend = installSlurmBackend({ ...BACKEND, capabilities: V38_CAPABILITIES });
    renderQueryEditor({ refId: 'A', queryType: 'jobs' });
    await waitFor(() => expect(backend.requests).toContain('capabilities'));
    expect(screen.queryByText(/Not available/)).not.toBeInTheDocument();

    forgetCapabilities();
    backend = installSlurmBackend(BACKEND); // capabilities answers 404
    renderQueryEditor({ refId: 'B', queryType: 'shares' });
    await waitFor(() => expect(backend.requests).toContain('capabilities'));
    expect(screen.queryByText(/Not available/)).not.toBeInTheDocument();
  });
});

describe('QueryEditor: query type', () => {
  it('starts a query that arrives without a type as the jobs table in Explore, and runs it', async () => {
    const { changes, onRunQuery } = renderQueryEditor({ refId: 'A' }, undefined, CoreApp.Explore);
    await waitFor(() => expect(changes).toEqual([{ refId: 'A', queryType: 'jobs' }]));
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(screen.getByLabelText('Query type')).toHaveValue('Jobs');
    expect(screen.getByLabelText('Users')).toBeInTheDocument();
  });

  it('starts an alert rule’s query without a type as job counts, which alerting can evaluate', async () => {
    const { changes } = renderQueryEditor({ refId: 'A' }, undefined, CoreApp.UnifiedAlerting);
    await waitFor(() => expect(changes).toEqual([{ refId: 'A', queryType: 'job_counts', groupBy: ['state'] }]));
    expect(screen.getByLabelText('Query type')).toHaveValue('Job counts');
  });

  it('leaves a query that has a type as it is', () => {
    const { changes, onRunQuery } = renderQueryEditor({ refId: 'A', queryType: 'nodes' }, undefined, CoreApp.Explore);
    expect(changes).toEqual([]);
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('shows the chosen query type', () => {
    renderQueryEditor({ refId: 'A', queryType: 'partitions' });
    expect(screen.getByLabelText('Query type')).toHaveValue('Partitions');
  });

  it('offers every panel query type and starts a new type from its defaults', async () => {
    const { last, onRunQuery } = renderQueryEditor({ refId: 'A', queryType: 'jobs', users: ['alice'] });

    await userEvent.click(screen.getByLabelText('Query type'));
    const options = await screen.findAllByRole('option');
    // The menu is virtualised: the first rows are rendered, the rest are reached by typing.
    expect(options.slice(0, 5).map((o) => o.textContent)).toEqual([
      expect.stringContaining('Jobs'),
      expect.stringContaining('Job counts'),
      expect.stringContaining('Nodes'),
      expect.stringContaining('Node counts'),
      expect.stringContaining('Partitions'),
    ]);
    expect(QUERY_TYPE_OPTIONS.map((o) => o.value).sort()).toEqual(
      QUERY_TYPES.filter((t) => t !== 'annotations').sort()
    );

    await userEvent.click(screen.getByRole('option', { name: /Job counts/ }));
    expect(last()).toEqual({ refId: 'A', queryType: 'job_counts', groupBy: ['state'] });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('reaches a type further down the list by typing', async () => {
    const { last } = renderQueryEditor({ refId: 'A', queryType: 'jobs' });
    await userEvent.type(screen.getByLabelText('Query type'), 'usage');
    await userEvent.click(await screen.findByRole('option', { name: /Usage/ }));
    expect(last()).toEqual({ refId: 'A', queryType: 'usage', tres: 'cpu', groupBy: 'account', format: 'table' });
  });
});

describe('QueryEditor: jobs', () => {
  it('loads user options from the backend and filters on the chosen user', async () => {
    const { last, onRunQuery } = renderQueryEditor({ refId: 'A', queryType: 'jobs' });

    await userEvent.click(screen.getByLabelText('Users'));
    expect(await screen.findByRole('option', { name: 'bob' })).toBeInTheDocument();
    expect(backend.requests).toContain('variables/users');

    await userEvent.click(screen.getByRole('option', { name: 'bob' }));
    expect(last()).toMatchObject({ queryType: 'jobs', users: ['bob'] });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('asks for job states only (not node states) for the state filter', async () => {
    renderQueryEditor({ refId: 'A', queryType: 'jobs' });
    await userEvent.click(screen.getByLabelText('States'));
    expect(await screen.findByRole('option', { name: 'PENDING' })).toBeInTheDocument();
    expect(backend.requests).toContain('variables/states?of=jobs');
    expect(screen.queryByRole('option', { name: 'DRAIN' })).not.toBeInTheDocument();
  });

  it('sorts by a chosen column, ascending until told otherwise', async () => {
    const { last } = renderQueryEditor({ refId: 'A', queryType: 'jobs' });
    await userEvent.click(screen.getByLabelText('Sort by'));
    await userEvent.click(await screen.findByRole('option', { name: 'start_time' }));
    expect(last()).toMatchObject({ sort: { field: 'start_time', desc: false } });

    await userEvent.click(screen.getByLabelText('Descending'));
    expect(last()).toMatchObject({ sort: { field: 'start_time', desc: true } });
  });

  it('sends no limit unless one is typed: the backend then returns up to the data source’s maximum rows', async () => {
    const { last, onRunQuery } = renderQueryEditor({ refId: 'A', queryType: 'jobs' }, 500);
    const limit = screen.getByLabelText('Limit');
    expect(limit).toHaveValue(null);
    expect(limit).toHaveAttribute('placeholder', '500');

    await userEvent.click(limit);
    await userEvent.paste('200');
    await userEvent.clear(limit);
    await userEvent.tab();
    expect(last()).toEqual({ refId: 'A', queryType: 'jobs', limit: undefined });
    expect(JSON.stringify(last())).toBe('{"refId":"A","queryType":"jobs"}');
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('explains a limit above the data source maximum and does not run it', async () => {
    const { last, onRunQuery } = renderQueryEditor({ refId: 'A', queryType: 'jobs' }, 5000);
    const limit = screen.getByLabelText('Limit');

    await userEvent.click(limit);
    await userEvent.paste('6000');
    await userEvent.tab();
    expect(last()).toMatchObject({ limit: 6000 });
    expect(
      screen.getByText("Limit must be at most 5000 rows (this data source's maximum rows setting)")
    ).toBeInTheDocument();
    expect(onRunQuery).not.toHaveBeenCalled();

    await userEvent.clear(limit);
    await userEvent.paste('0');
    expect(screen.getByText('Limit must be at least 1 row')).toBeInTheDocument();

    await userEvent.clear(limit);
    await userEvent.paste('200');
    await userEvent.tab();
    expect(screen.queryByText(/Limit must/)).not.toBeInTheDocument();
    expect(last()).toMatchObject({ limit: 200 });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('takes job ids one by one and says which one is not a job id', async () => {
    const { last } = renderQueryEditor({ refId: 'A', queryType: 'jobs' });
    const input = screen.getByPlaceholderText('Job id, then Enter');
    await userEvent.type(input, '123_4{enter}');
    expect(last()).toMatchObject({ jobIds: ['123_4'] });
    expect(screen.queryByText(/Job ids must be/)).not.toBeInTheDocument();

    await userEvent.type(input, 'abc{enter}');
    expect(screen.getByText('Job ids must be numbers like 123 or 123_4 (an array task): abc')).toBeInTheDocument();
  });

  it('runs a name regex when the field loses focus, not on every key', async () => {
    const { last, onRunQuery } = renderQueryEditor({ refId: 'A', queryType: 'jobs' });
    await userEvent.click(screen.getByLabelText('Name regex'));
    await userEvent.paste('^train-');
    expect(last()).toMatchObject({ nameRegex: '^train-' });
    expect(onRunQuery).not.toHaveBeenCalled();
    await userEvent.tab();
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });
});

describe('QueryEditor: counts', () => {
  it('groups job counts by the chosen keys and refuses an empty grouping', async () => {
    const { last, onRunQuery } = renderQueryEditor({ refId: 'A', queryType: 'job_counts', groupBy: ['state'] });

    await userEvent.click(screen.getByLabelText('Group by'));
    await userEvent.click(await screen.findByRole('option', { name: 'partition' }));
    expect(last()).toMatchObject({ groupBy: ['state', 'partition'] });
    expect(onRunQuery).toHaveBeenCalledTimes(1);

    await userEvent.click(screen.getByRole('option', { name: 'state' }));
    await userEvent.click(screen.getByRole('option', { name: 'partition' }));
    expect(last()).toMatchObject({ groupBy: [] });
    expect(
      screen.getByText('Group by needs at least one of: state, partition, user, account, qos, reason')
    ).toBeInTheDocument();
    expect(onRunQuery).toHaveBeenCalledTimes(2);
  });

  it('counts nodes per node and reason too (one alert per drained node), but not per user', async () => {
    const { last, onRunQuery } = renderQueryEditor({ refId: 'A', queryType: 'node_counts', groupBy: ['state'] });
    await userEvent.click(screen.getByLabelText('Group by'));
    const options = await screen.findAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['state', 'partition', 'node', 'reason']);
    await userEvent.click(screen.getByRole('option', { name: 'node' }));
    await userEvent.click(screen.getByRole('option', { name: 'reason' }));
    expect(last()).toMatchObject({ queryType: 'node_counts', groupBy: ['state', 'node', 'reason'] });
    expect(onRunQuery).toHaveBeenCalledTimes(2);
  });
});

describe('QueryEditor: other types', () => {
  it('filters nodes by a feature loaded from the backend', async () => {
    const { last } = renderQueryEditor({ refId: 'A', queryType: 'nodes' });
    await userEvent.click(screen.getByLabelText('Features'));
    await userEvent.click(await screen.findByRole('option', { name: 'a100' }));
    expect(last()).toEqual({ refId: 'A', queryType: 'nodes', features: ['a100'] });
    expect(backend.requests).toContain('variables/features');
  });

  it('picks the usage resource, grouping and format', async () => {
    const { last } = renderQueryEditor({
      refId: 'A',
      queryType: 'usage',
      tres: 'cpu',
      groupBy: 'account',
      format: 'table',
    });
    await userEvent.click(screen.getByRole('radio', { name: 'GPU-hours' }));
    await userEvent.click(screen.getByRole('radio', { name: 'User' }));
    await userEvent.click(screen.getByRole('radio', { name: 'Series' }));
    expect(last()).toEqual({ refId: 'A', queryType: 'usage', tres: 'gpu', groupBy: 'user', format: 'series' });

    await userEvent.click(screen.getByLabelText('Accounts'));
    await userEvent.click(await screen.findByRole('option', { name: 'physics' }));
    expect(last()).toMatchObject({ queryType: 'usage', accounts: ['physics'] });
    expect(backend.requests).toContain('variables/accounts');
  });

  it('picks a history metric and splits it per partition', async () => {
    const { last } = renderQueryEditor({ refId: 'A', queryType: 'history_series', metric: 'submitted' });
    await userEvent.click(screen.getByRole('radio', { name: 'Wait p90' }));
    await userEvent.click(screen.getByLabelText('Per partition'));
    expect(last()).toEqual({ refId: 'A', queryType: 'history_series', metric: 'wait_p90', groupBy: ['partition'] });
  });

  it('narrows reservations by a name regex', async () => {
    const { last, onRunQuery } = renderQueryEditor({ refId: 'A', queryType: 'reservations' });
    await userEvent.click(screen.getByLabelText('Name regex'));
    await userEvent.paste('^maint');
    await userEvent.tab();
    expect(last()).toEqual({ refId: 'A', queryType: 'reservations', nameRegex: '^maint' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('says what a query type without options returns', () => {
    renderQueryEditor({ refId: 'A', queryType: 'scheduler' });
    expect(screen.getByText(/slurmctld diagnostics/)).toBeInTheDocument();
  });

  it('bounds the job history limit too', async () => {
    renderQueryEditor({ refId: 'A', queryType: 'job_history' });
    await userEvent.click(screen.getByLabelText('Limit'));
    await userEvent.paste('-1');
    await waitFor(() => expect(screen.getByText('Limit must be at least 1 row')).toBeInTheDocument());
  });
});

describe('QueryEditor: why pending', () => {
  it('lists pending jobs of chosen categories, without a state filter', async () => {
    const { last } = renderQueryEditor({ refId: 'A', queryType: 'pending' });
    expect(screen.queryByLabelText('States')).not.toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('Categories'));
    await userEvent.click(await screen.findByRole('option', { name: 'Can never start' }));
    expect(last()).toEqual({ refId: 'A', queryType: 'pending', categories: ['impossible'] });
  });

  it('counts by category, and one number for an alert rule', async () => {
    const { last, onRunQuery } = renderQueryEditor({ refId: 'A', queryType: 'pending' });
    await userEvent.click(screen.getByRole('radio', { name: 'Counts' }));
    expect(last()).toMatchObject({ format: 'counts', groupBy: ['category'] });
    await userEvent.click(screen.getByRole('radio', { name: 'Jobs' }));
    expect(last()).toMatchObject({ format: 'counts', groupBy: ['category'], measure: 'jobs' });
    expect(onRunQuery).toHaveBeenCalledTimes(2);
  });

  it('explains one job only once it has an id', async () => {
    const { last, onRunQuery } = renderQueryEditor({ refId: 'A', queryType: 'pending' });
    await userEvent.click(screen.getByRole('radio', { name: 'One job' }));
    expect(screen.getByText('The id of one pending job, e.g. 123')).toBeInTheDocument();
    expect(onRunQuery).not.toHaveBeenCalled();
    await userEvent.click(screen.getByLabelText('Job id'));
    await userEvent.paste('5013');
    await userEvent.tab();
    expect(last()).toMatchObject({ queryType: 'pending', format: 'facts', jobId: '5013' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });
});
