import { from, map, catchError, of, type Observable } from 'rxjs';
import { getDataSourceSrv } from '@grafana/runtime';
import {
  CustomVariable,
  MultiOrSingleValueSelect,
  MultiValueVariable,
  sceneGraph,
  TextBoxVariable,
  VariableDependencyConfig,
  type MultiValueVariableState,
  type SceneComponentProps,
  type VariableValueOption,
} from '@grafana/scenes';
import React from 'react';
import { fetchVariableOptions } from '../datasource/resources';
import type { VariableKind } from '../datasource/types';
import { CLUSTER_VAR, type SceneContext } from './sceneContext';

/** Scenes' value and text for "All" (its constants are not exported from the package index). */
export const ALL_VARIABLE_VALUE = '$__all';
export const ALL_VARIABLE_TEXT = 'All';

/**
 * The cluster picker: one option per configured Slurm data source, labelled with its name. The value
 * (a data source uid) is in the URL as var-cluster, so a link to a page on another cluster stays there.
 */
export function clusterVariable(ctx: SceneContext): CustomVariable {
  const options = ctx.clusters.map((uid) => ({
    text: getDataSourceSrv().getInstanceSettings(uid)?.name ?? uid,
    value: uid,
  }));
  return new CustomVariable({
    name: CLUSTER_VAR,
    label: 'Cluster',
    valuesFormat: 'json',
    query: JSON.stringify(options),
    value: ctx.clusters[0],
    text: options[0]?.text,
  });
}

interface SlurmResourceVariableState extends MultiValueVariableState {
  kind: VariableKind;
  /** The data source to ask, usually `${cluster}`; interpolated so the options follow the cluster picker. */
  datasourceUid: string;
}

/**
 * A multi-value filter whose options come from the data source's `variables/<kind>` resource route (the
 * backend lists them from its snapshot). Scenes' QueryVariable would need the data source's variable
 * support; the resource route is the contract the backend offers for pages. Custom values are allowed,
 * so a filter still works when the route has nothing to offer.
 */
export class SlurmResourceVariable extends MultiValueVariable<SlurmResourceVariableState> {
  protected _variableDependency = new VariableDependencyConfig(this, { statePaths: ['datasourceUid'] });

  constructor(state: Pick<SlurmResourceVariableState, 'name' | 'label' | 'kind' | 'datasourceUid'>) {
    super({
      type: 'custom',
      value: [ALL_VARIABLE_VALUE],
      text: [ALL_VARIABLE_TEXT],
      options: [],
      isMulti: true,
      // "All" is the unfiltered state; clearing the select returns to it (not to the first option).
      includeAll: true,
      defaultToAll: true,
      // The backend reads "*" as no filter (pkg/query StringList).
      allValue: '*',
      allowCustomValue: true,
      ...state,
    });
  }

  getValueOptions(): Observable<VariableValueOption[]> {
    const uid = sceneGraph.interpolate(this, this.state.datasourceUid);
    // Keep the values from the URL even if the route does not list them (e.g. a job state seen only today).
    this.skipNextValidation = true;
    return from(fetchVariableOptions(uid, this.state.kind)).pipe(
      map((options) => options.map((o) => ({ label: o.text, value: o.value }))),
      // Without options the select still takes typed values; the filter itself keeps working.
      catchError(() => of([]))
    );
  }

  static Component = ({ model }: SceneComponentProps<SlurmResourceVariable>) =>
    React.createElement(MultiOrSingleValueSelect, { model: model as unknown as MultiValueVariable });
}

/** A free-text filter (name regex, reason) kept in the URL as var-<name>. */
export function textFilter(name: string, label: string): TextBoxVariable {
  return new TextBoxVariable({ name, label, value: '' });
}

/** `${name:csv}`: the backend splits comma lists and treats "*" (All) or an empty value as "no filter". */
export function csv(name: string): string {
  return `\${${name}:csv}`;
}
