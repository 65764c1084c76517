import {
  EmbeddedScene,
  SceneControlsSpacer,
  SceneFlexItem,
  SceneFlexLayout,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  SceneVariableSet,
  VariableValueSelectors,
  type SceneObject,
  type SceneVariable,
} from '@grafana/scenes';
import { SnapshotBanner } from '../components/SnapshotBanner/SnapshotBanner';
import type { SceneContext } from './sceneContext';
import { clusterVariable } from './variables';

interface PageOptions {
  ctx: SceneContext;
  /** Filter variables of the page, after the cluster picker. */
  variables?: SceneVariable[];
  /** Extra controls (toggles) after the variable selectors. */
  controls?: SceneObject[];
  /** Panels and rows, top to bottom; the stale-data banner goes above them. */
  body: () => SceneObject[];
  timeRange?: SceneTimeRange;
  /** Pages with history or hardware series get a time picker. */
  timePicker?: boolean;
}

/**
 * One scene per page, built the same way everywhere: cluster picker (+ the page's filters) in the URL,
 * refresh picker, and the snapshot banner above the body.
 */
export function pageScene({ ctx, variables = [], controls = [], body, timeRange, timePicker }: PageOptions) {
  return new EmbeddedScene({
    $variables: new SceneVariableSet({ variables: [clusterVariable(ctx), ...variables] }),
    $timeRange: timeRange ?? new SceneTimeRange({ from: 'now-6h', to: 'now' }),
    controls: [
      new VariableValueSelectors({}),
      ...controls,
      new SceneControlsSpacer(),
      ...(timePicker ? [new SceneTimePicker({ isOnCanvas: true })] : []),
      new SceneRefreshPicker({ intervals: ['30s', '1m', '5m'], isOnCanvas: true }),
    ],
    body: new SceneFlexLayout({
      direction: 'column',
      // The banner is as tall as its message (nothing when the data is live): a growing item opened a gap
      // above the page's first panel.
      children: [
        new SceneFlexItem({ ySizing: 'content', body: new SnapshotBanner({ datasourceUid: ctx.slurm.uid! }) }),
        ...body(),
      ],
    }),
  });
}
