import { screen, waitFor, within } from '@testing-library/react';
import { installGrafana } from '../../testing/grafanaServices';
import { renderApp } from '../../testing/renderApp';
import { jobsFrame, nodesFrame, rowsWhere } from '../../testing/slurmFixtures';
import { unresolvedParts } from '../../testing/sceneInspection';

describe('Node detail page', () => {
  it('shows the drained node’s state, reason, who set it and when (recorded after a drain)', async () => {
    const drained = nodesFrame('node_after_drain');
    const recorded = installGrafana({
      slurm: (q) =>
        q.queryType === 'nodes'
          ? [drained]
          : q.queryType === 'jobs'
            ? [rowsWhere(jobsFrame(), 'nodes', ['node[03-04]'])]
            : [],
      get: (url) => (url.endsWith('snapshot/status') ? { ageSeconds: 2, stale: false } : undefined),
    });
    renderApp('/a/hpc-slurm-app/nodes/node04');
    const state = await screen.findByLabelText('Node state');
    expect(state).toHaveTextContent('ALLOCATED+DRAIN');
    const reason = screen.getByLabelText('Reason');
    expect(reason).toHaveTextContent(/Reason: test/);
    expect(reason).toHaveTextContent(/set by root/);
    expect(reason).toHaveTextContent(/on 20\d\d-\d\d-\d\d/);
    // Every summary field is the backend's: none is left out for want of a column.
    const facts = screen.getByLabelText('Node');
    for (const label of ['CPUs allocated', 'Memory allocated', 'GPUs allocated', 'Address']) {
      expect(within(facts).getByText(label)).toBeInTheDocument();
    }
    // Allocation against the node's total, memory in bytes units rather than raw MB.
    expect(within(facts).getByText('CPUs allocated').nextSibling).toHaveTextContent(/^\d+ of \d+$|none allocated/);
    expect(within(facts).getByText('Memory allocated').nextSibling).toHaveTextContent(/(MB|GB|TB)/);
    // Jobs on the node are asked of the backend by node name; hardware panels follow.
    expect(recorded.queries.find((q) => q.queryType === 'jobs')).toMatchObject({ nodes: ['node04'] });
    expect(await screen.findByRole('heading', { level: 2, name: 'GPU utilisation' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'Temperatures (IPMI)' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'Power (IPMI)' })).toBeInTheDocument();
  });

  it('sends Prometheus complete queries: every node_exporter selector for the node, IPMI by its target', async () => {
    const recorded = installGrafana(
      {
        slurm: (q, uid) => (uid === 'slurm' && q.queryType === 'nodes' ? [nodesFrame()] : []),
        get: (url) => (url.endsWith('snapshot/status') ? { ageSeconds: 2, stale: false } : undefined),
      },
      { slurm: 'Slurm' },
      { prometheusUid: 'prometheus' }
    );
    renderApp('/a/hpc-slurm-app/nodes/node01');
    await screen.findByRole('heading', { level: 2, name: 'Memory used' });
    const sent = () => recorded.queries.filter((q) => q.datasource?.uid === 'prometheus').map((q) => String(q.expr));
    // The panels send their queries one by one.
    await waitFor(() =>
      expect(sent()).toEqual(
        expect.arrayContaining([
          // Memory used joins both sides of the subtraction to the node (the join once bound to one side only).
          'sum by (nodename) ((node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes) * on(instance) group_left(nodename) node_uname_info{nodename=~"node01"})',
          'ipmi_temperature_celsius{instance="node01"}',
          'DCGM_FI_DEV_GPU_UTIL{Hostname="node01"}',
        ])
      )
    );
    expect(sent().flatMap((e) => unresolvedParts(e).map((p) => `${p} in ${e}`))).toEqual([]);
  });

  it('says when Slurm does not know the node', async () => {
    installGrafana({ slurm: () => [rowsWhere(nodesFrame(), 'node', [])], get: () => undefined });
    renderApp('/a/hpc-slurm-app/nodes/node99');
    expect(await screen.findByText('Slurm does not know a node node99')).toBeInTheDocument();
  });

  it('keeps the Slurm data and shows the snapshot age while slurmrestd fails', async () => {
    installGrafana({
      slurm: (q) => (q.queryType === 'nodes' ? [nodesFrame()] : []),
      get: (url) =>
        url.endsWith('snapshot/status')
          ? { ageSeconds: 250, stale: true, lastError: 'slurmrestd: connection refused' }
          : undefined,
    });
    renderApp('/a/hpc-slurm-app/nodes/node01');
    expect(await screen.findByText('Slurm data is 4 min 10 s old')).toBeInTheDocument();
    expect(screen.getByText(/slurmrestd is failing: slurmrestd: connection refused/)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('Node state')).toHaveTextContent('MIXED'));
  });
});
