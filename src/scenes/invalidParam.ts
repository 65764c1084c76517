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

/** A path parameter decoded; one with a stray "%" stays as written rather than throwing. */
export function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
