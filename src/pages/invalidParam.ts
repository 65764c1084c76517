import React from 'react';
import { SceneFlexItem, SceneReactObject } from '@grafana/scenes';
import { Alert } from '@grafana/ui';

/** Shown instead of panels when a URL parameter is not a valid Slurm name, so no query is sent with it. */
export function invalidParamItem(title: string, message: string): SceneFlexItem {
  return new SceneFlexItem({
    body: new SceneReactObject({
      component: () => React.createElement(Alert, { severity: 'error', title }, message),
    }),
  });
}
