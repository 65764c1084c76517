import React from 'react';
import { render, screen } from '@testing-library/react';
import { installGrafana } from '../../testing/grafanaServices';
import { ExporterStatus } from './ExporterStatus';

const base = '/api/datasources/uid/prometheus/resources/api/v1/label';

describe('ExporterStatus', () => {
  it('tells which exporters the chosen Prometheus has series from', async () => {
    const recorded = installGrafana({
      slurm: () => [],
      get: (url) =>
        url === `${base}/__name__/values`
          ? { status: 'success', data: ['node_load1', 'node_uname_info', 'ipmi_power_watts', 'up'] }
          : url === `${base}/jobid/values`
            ? { status: 'success', data: [] }
            : undefined,
    });
    render(<ExporterStatus prometheusUid="prometheus" />);
    expect(await screen.findByText('node_exporter: found')).toBeInTheDocument();
    expect(screen.getByText('IPMI exporter: found')).toBeInTheDocument();
    expect(screen.getByText('DCGM (NVIDIA GPUs): not found')).toBeInTheDocument();
    expect(screen.getByText('kube-state-metrics: not found')).toBeInTheDocument();
    expect(screen.getByText('cgroup / jobstats (per-job series, jobid label): not found')).toBeInTheDocument();
    expect(recorded.gets).toEqual(expect.arrayContaining([`${base}/__name__/values`, `${base}/jobid/values`]));
  });

  it('warns when Prometheus cannot be asked', async () => {
    installGrafana({ slurm: () => [], get: () => new Error('Prometheus is down') });
    render(<ExporterStatus prometheusUid="prometheus" />);
    expect(await screen.findByText('Could not list the Prometheus metrics')).toBeInTheDocument();
    expect(screen.getByText('Prometheus is down')).toBeInTheDocument();
  });

  it('shows nothing without a Prometheus data source', () => {
    const { container } = render(<ExporterStatus />);
    expect(container).toBeEmptyDOMElement();
  });
});
