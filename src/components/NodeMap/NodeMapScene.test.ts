import { FieldType, toDataFrame } from '@grafana/data';
import { jobsOnNode, valuesByNode } from './NodeMapScene';
import { metricShares, nodeColumns } from './nodeMapModel';

describe('metric colouring', () => {
  // An instant Prometheus answer as Grafana frames it: one frame per series, the labels on the value field.
  const series = (nodename: string, value: number) =>
    toDataFrame({
      fields: [
        { name: 'Time', type: FieldType.time, values: [1] },
        { name: 'Value', type: FieldType.number, values: [value], labels: { nodename } },
      ],
    });

  it('reads one value per node from the node label and scales it between the extremes', () => {
    const byNode = valuesByNode([series('n1', 20), series('n2', 80), series('n3', 50)], 'nodename');
    expect([...byNode]).toEqual([
      ['n1', 20],
      ['n2', 80],
      ['n3', 50],
    ]);
    const cols = nodeColumns(
      toDataFrame({ fields: [{ name: 'node', type: FieldType.string, values: ['n1', 'n2', 'n3', 'n4'] }] })
    );
    const { shares, min, max } = metricShares(cols, byNode);
    expect([min, max]).toEqual([20, 80]);
    expect([...shares].slice(0, 3)).toEqual([0, 1, 0.5]);
    expect(shares[3]).toBeNaN(); // no series for n4: drawn grey
  });
});

describe('jobsOnNode', () => {
  it('lists the running jobs whose node list names the node', () => {
    const jobs = toDataFrame({
      fields: [
        { name: 'job_id', type: FieldType.string, values: ['1', '2', '3'] },
        { name: 'nodes', type: FieldType.string, values: ['node[01-04]', 'node05', 'node[03,07]'] },
      ],
    });
    expect(jobsOnNode(jobs, 'node03')).toEqual(['1', '3']);
    expect(jobsOnNode(jobs, 'node06')).toEqual([]);
  });
});
