import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { installGrafana, type Recorded } from '../../testing/grafanaServices';
import { locationService, renderApp } from '../../testing/renderApp';
import { jobsFrame, nodesFrame, rowsWhere } from '../../testing/slurmFixtures';
import { cellSizeFor } from '../../components/NodeMap/nodeMapModel';
import { NodeMapScene } from '../../components/NodeMap/NodeMapScene';
import { SnapshotBanner } from '../../components/SnapshotBanner/SnapshotBanner';
import { SceneFlexItem, sceneGraph } from '@grafana/scenes';
import { activeScene, answeredPanel, tableColumns } from '../../testing/sceneInspection';

function serve(): Recorded {
  const jobs = jobsFrame();
  const running = rowsWhere(jobs, 'state_base', ['RUNNING']);
  return installGrafana({
    slurm: (q) => (q.queryType === 'nodes' ? [nodesFrame()] : q.queryType === 'jobs' ? [running] : []),
    get: (url) => (url.endsWith('snapshot/status') ? { ageSeconds: 1, stale: false } : []),
  });
}

// Layout of the map (nodeMapModel): six nodes on the map's default 1000 px width get the largest cells,
// 2 px gaps, below a 20 px group header.
const pitch = cellSizeFor(6, 1000) + 2;
const cellAt = (col: number) => ({ clientX: col * pitch + 5, clientY: 25 });

describe('Nodes page', () => {
  it('draws every recorded node and shows state and jobs on hover', async () => {
    serve();
    renderApp('/a/hpc-slurm-app/nodes');
    const map = await screen.findByRole('img', { name: 'Allocation map of 6 nodes' });
    // Grouped by partition: "cpu" (node01-04) comes first; node01 is the first cell.
    fireEvent.mouseMove(map, cellAt(0));
    const tip = await screen.findByRole('tooltip');
    expect(tip).toHaveTextContent('node01');
    expect(tip).toHaveTextContent('MIXED+PLANNED');
    // Running jobs whose node list holds node01 (5007, 5008 in the recording).
    expect(tip).toHaveTextContent(/Jobs: 5007, 5008/);
    fireEvent.mouseMove(map, cellAt(1));
    expect(screen.getByRole('tooltip')).toHaveTextContent('node02');
    fireEvent.mouseLeave(map);
    expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();
  });

  it('opens the node page on click, keeping the cluster', async () => {
    serve();
    renderApp('/a/hpc-slurm-app/nodes');
    const map = await screen.findByRole('img', { name: /Allocation map/ });
    fireEvent.click(map, cellAt(2));
    await waitFor(() => expect(locationService.getLocation().pathname).toBe('/a/hpc-slurm-app/nodes/node03'));
    expect(locationService.getSearchObject()['var-cluster']).toBe('slurm');
  });

  it('filters, groups and colours from the page and keeps the choice in the URL', async () => {
    serve();
    renderApp('/a/hpc-slurm-app/nodes?groupBy=prefix&colorBy=cpu');
    await screen.findByRole('img', { name: /Allocation map/ });
    expect(screen.getByRole('radio', { name: 'Name prefix' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'CPU allocated' })).toBeChecked();

    await userEvent.type(screen.getByLabelText('Filter nodes'), 'reserved');
    expect(await screen.findByText('1 of 6 nodes match')).toBeInTheDocument();
    await waitFor(() => expect(locationService.getSearchObject().nodeFilter).toBe('reserved'));

    await userEvent.click(screen.getByRole('radio', { name: 'GPU allocated' }));
    await waitFor(() => expect(locationService.getSearchObject().colorBy).toBe('gpu'));
  });

  it('asks the backend for the nodes of the filtered partitions', async () => {
    const recorded = serve();
    renderApp('/a/hpc-slurm-app/nodes?var-partition=gpu');
    await screen.findByRole('img', { name: /Allocation map/ });
    expect(recorded.queries.find((q) => q.queryType === 'nodes')).toMatchObject({ partitions: 'gpu', states: '*' });
  });

  it('colours by a Prometheus metric chosen on the page, keeping the map when Prometheus has no answer', async () => {
    serve();
    renderApp('/a/hpc-slurm-app/nodes');
    await screen.findByRole('img', { name: /Allocation map/ });
    await userEvent.click(screen.getByRole('radio', { name: 'Prometheus metric' }));
    await userEvent.click(screen.getByRole('radio', { name: 'Temperature' }));
    await waitFor(() =>
      expect(locationService.getSearchObject()).toMatchObject({ colorBy: 'metric', metric: 'temperature' })
    );
    expect(screen.getByRole('img', { name: 'Allocation map of 6 nodes' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('radio', { name: 'State' }));
    expect(screen.queryByRole('radio', { name: 'Temperature' })).not.toBeInTheDocument();
  });

  it('puts the map right under the filters, as tall as its cells, and the nodes table with people’s titles', async () => {
    serve();
    renderApp('/a/hpc-slurm-app/nodes');
    await screen.findByRole('img', { name: /Allocation map/ });
    // Items that would otherwise grow with the page: the stale-data banner above and the map itself.
    const items = sceneGraph.findAllObjects(
      activeScene(),
      (o) =>
        o instanceof SceneFlexItem && (o.state.body instanceof SnapshotBanner || o.state.body instanceof NodeMapScene)
    ) as SceneFlexItem[];
    expect(items.map((i) => i.state.ySizing)).toEqual(['content', 'content']);
    const columns = tableColumns(await answeredPanel('Nodes'));
    const shown = columns.filter((c) => !c.hidden);
    expect(shown.map((c) => c.title)).toEqual(expect.arrayContaining(['Node', 'State', 'Reason', 'Memory', 'CPUs']));
    expect(shown.filter((c) => c.title.includes('_'))).toEqual([]);
    expect(columns.find((c) => c.name === 'node')!.links).toHaveLength(1);
  });

  it('offers no metric colouring without Prometheus', async () => {
    serve();
    renderApp('/a/hpc-slurm-app/nodes', { slurmDatasourceUids: ['slurm'] });
    await screen.findByRole('img', { name: /Allocation map/ });
    expect(screen.queryByRole('radio', { name: 'Prometheus metric' })).not.toBeInTheDocument();
  });
});
