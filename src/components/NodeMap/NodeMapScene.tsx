import React, { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { DataFrame } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import {
  SceneObjectBase,
  SceneObjectUrlSyncConfig,
  sceneGraph,
  type SceneComponentProps,
  type SceneObjectState,
  type SceneObjectUrlValues,
  SceneQueryRunner,
} from '@grafana/scenes';
import { Alert, Input, LoadingPlaceholder, RadioButtonGroup, Stack } from '@grafana/ui';
import { JOB_FIELDS } from '../../frames/frameFields';
import type { MapMetric } from '../../promql/hardwareQueries';
import { hostlistContains } from '../../utils/hostlist';
import { metricShares, nodeColumns, type ColorBy, type GroupBy } from './nodeMapModel';
import { NodeMapCanvas } from './NodeMapCanvas';

interface NodeMapState extends SceneObjectState {
  groupBy: GroupBy;
  colorBy: ColorBy;
  metric: MapMetric;
  filter: string;
  /** Prometheus values per node, for colouring by a metric; absent without Prometheus. */
  metricData?: SceneQueryRunner;
  /** Builds the metric runner for a choice of metric (the page knows the node mapping). */
  makeMetricQuery?: (metric: MapMetric) => SceneQueryRunner;
  /** The label of a metric's answer that holds the node name (nodename, the mapping's label, instance for IPMI). */
  metricNodeLabel?: (metric: MapMetric) => string;
  /** The URL of a node's page, with the cluster kept. */
  nodeUrl: (node: string) => string;
}

const GROUP_OPTIONS = [
  { label: 'Partition', value: 'partition' as const },
  { label: 'Name prefix', value: 'prefix' as const },
];
const METRIC_OPTIONS = [
  { label: 'Load', value: 'load' as const },
  { label: 'Temperature', value: 'temperature' as const },
  { label: 'Power', value: 'power' as const },
];

/** Node name → value from an instant Prometheus answer (one frame per series, the name in a label). */
export function valuesByNode(frames: DataFrame[], label: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const frame of frames) {
    const field = frame.fields.find((f) => f.name !== 'Time' && f.labels?.[label] !== undefined);
    const v = field?.values[field.values.length - 1];
    if (field && typeof v === 'number') {
      out.set(field.labels![label], v);
    }
  }
  return out;
}

/** Running jobs whose node list names `node`; scans the compressed lists, expanding none of them. */
export function jobsOnNode(frame: DataFrame | undefined, node: string): string[] {
  const ids = frame?.fields.find((f) => f.name === JOB_FIELDS.jobId)?.values ?? [];
  const lists = frame?.fields.find((f) => f.name === JOB_FIELDS.nodes)?.values ?? [];
  const out: string[] = [];
  for (let j = 0; j < ids.length; j++) {
    if (hostlistContains(lists[j] as string, node)) {
      out.push(String(ids[j]));
    }
  }
  return out;
}

/**
 * The Nodes page's allocation map as a Scenes object. Scenes has no panel that draws 10,000 cells with
 * hover and click per cell (the canvas panel is for hand-placed elements), so the map is plain React
 * over one canvas; grouping, colouring and the filter are scene state kept in the URL.
 */
export class NodeMapScene extends SceneObjectBase<NodeMapState> {
  protected _urlSync = new SceneObjectUrlSyncConfig(this, { keys: ['groupBy', 'colorBy', 'metric', 'nodeFilter'] });

  constructor(state: NodeMapState) {
    super(state);
    this.addActivationHandler(() => {
      this.syncMetricQuery();
      return () => this.stopMetricQuery();
    });
  }

  getUrlState(): SceneObjectUrlValues {
    const { groupBy, colorBy, metric, filter } = this.state;
    return { groupBy, colorBy, metric, nodeFilter: filter || undefined };
  }

  updateFromUrl(values: SceneObjectUrlValues) {
    const update: Partial<NodeMapState> = {};
    if (values.groupBy === 'partition' || values.groupBy === 'prefix') {
      update.groupBy = values.groupBy;
    }
    if (['state', 'cpu', 'gpu', 'metric'].includes(String(values.colorBy))) {
      update.colorBy = values.colorBy as ColorBy;
    }
    if (['load', 'temperature', 'power'].includes(String(values.metric))) {
      update.metric = values.metric as MapMetric;
    }
    if (typeof values.nodeFilter === 'string' || values.nodeFilter === undefined) {
      update.filter = (values.nodeFilter as string | undefined) ?? '';
    }
    if (update.metric && update.metric !== this.state.metric) {
      this.stopMetricQuery();
      update.metricData = undefined;
    }
    this.setState(update);
    if (this.state.colorBy !== 'metric') {
      this.stopMetricQuery();
    }
    this.syncMetricQuery();
  }

  setColorBy(colorBy: ColorBy) {
    this.setState({ colorBy });
    if (colorBy !== 'metric') {
      this.stopMetricQuery();
    }
    this.syncMetricQuery();
  }

  setMetric(metric: MapMetric) {
    this.stopMetricQuery();
    this.setState({ metric, metricData: undefined });
    this.syncMetricQuery();
  }

  /** Deactivation of the running metric query, when one runs. */
  private metricHandle?: () => void;

  private stopMetricQuery() {
    this.metricHandle?.();
    this.metricHandle = undefined;
  }

  /** Runs the Prometheus query only while the map is coloured by a metric. */
  private syncMetricQuery() {
    if (!this.isActive || this.state.colorBy !== 'metric' || !this.state.makeMetricQuery || this.metricHandle) {
      return;
    }
    // Kept across page visits: the map shows the last values at once while the query runs again.
    const runner = this.state.metricData ?? this.state.makeMetricQuery(this.state.metric);
    if (!this.state.metricData) {
      this.setState({ metricData: runner });
    }
    this.metricHandle = runner.activate();
  }

  static Component = ({ model }: SceneComponentProps<NodeMapScene>) => <NodeMapView model={model} />;
}

function NodeMapView({ model }: SceneComponentProps<NodeMapScene>) {
  const { groupBy, colorBy, metric, filter, metricData, makeMetricQuery } = model.useState();
  const { data } = sceneGraph.getData(model).useState();
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(1000);
  useLayoutEffect(() => {
    if (box.current?.clientWidth) {
      setWidth(box.current.clientWidth);
    }
  }, []);

  const nodesFrame = data?.series.find((f) => f.refId === 'nodes') ?? data?.series[0];
  const jobsFrame = data?.series.find((f) => f.refId === 'jobs');
  const cols = useMemo(() => nodeColumns(nodesFrame), [nodesFrame]);
  const jobsMap = useMemo(() => (node: string) => jobsOnNode(jobsFrame, node), [jobsFrame]);

  const colorOptions = [
    { label: 'State', value: 'state' as const },
    { label: 'CPU allocated', value: 'cpu' as const },
    { label: 'GPU allocated', value: 'gpu' as const },
    ...(makeMetricQuery ? [{ label: 'Prometheus metric', value: 'metric' as const }] : []),
  ];

  return (
    <div ref={box}>
      <Stack gap={2} wrap="wrap" alignItems="center">
        <RadioButtonGroup
          aria-label="Group by"
          options={GROUP_OPTIONS}
          value={groupBy}
          onChange={(v) => model.setState({ groupBy: v })}
        />
        <RadioButtonGroup
          aria-label="Colour by"
          options={colorOptions}
          value={colorBy}
          onChange={(v) => model.setColorBy(v)}
        />
        {colorBy === 'metric' && (
          <RadioButtonGroup
            aria-label="Metric"
            options={METRIC_OPTIONS}
            value={metric}
            onChange={(v) => model.setMetric(v)}
          />
        )}
        <Input
          aria-label="Filter nodes"
          placeholder="Filter by name, state or reason"
          width={32}
          value={filter}
          onChange={(e) => model.setState({ filter: e.currentTarget.value })}
        />
      </Stack>
      {!data || (data.state === 'Loading' && cols.count === 0) ? (
        <LoadingPlaceholder text="Loading nodes…" />
      ) : data.state === 'Error' && cols.count === 0 ? (
        <Alert severity="error" title="Could not load the nodes">
          {data.errors?.[0]?.message}
        </Alert>
      ) : cols.count === 0 ? (
        <Alert severity="info" title="No nodes">
          The cluster reports no nodes.
        </Alert>
      ) : (
        <MetricColouredMap
          runner={colorBy === 'metric' ? metricData : undefined}
          nodeLabel={model.state.metricNodeLabel?.(metric) ?? 'nodename'}
          cols={cols}
          groupBy={groupBy}
          colorBy={colorBy}
          filter={filter}
          width={width}
          jobsOf={jobsMap}
          onOpen={(node) => locationService.push(sceneGraph.interpolate(model, model.state.nodeUrl(node)))}
        />
      )}
    </div>
  );
}

type CanvasProps = React.ComponentProps<typeof NodeMapCanvas>;

/** The canvas, with the Prometheus values when colouring by a metric (a component per case: hooks stay unconditional). */
function MetricColouredMap({
  runner,
  nodeLabel,
  ...props
}: CanvasProps & { runner?: SceneQueryRunner; nodeLabel: string }) {
  return runner ? <WithMetric runner={runner} nodeLabel={nodeLabel} {...props} /> : <NodeMapCanvas {...props} />;
}

function WithMetric({ runner, nodeLabel, ...props }: CanvasProps & { runner: SceneQueryRunner; nodeLabel: string }) {
  const series = runner.useState().data?.series;
  const { cols } = props;
  const metric = useMemo(
    () => (series ? metricShares(cols, valuesByNode(series, nodeLabel)).shares : undefined),
    [series, cols, nodeLabel]
  );
  return <NodeMapCanvas {...props} metric={metric} />;
}
