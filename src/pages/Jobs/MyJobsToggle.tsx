import React from 'react';
import { config } from '@grafana/runtime';
import { SceneObjectBase, sceneGraph, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { InlineSwitch } from '@grafana/ui';
import { ALL_VARIABLE_TEXT, ALL_VARIABLE_VALUE, SlurmResourceVariable } from '../../scenes/variables';

interface MyJobsToggleState extends SceneObjectState {
  /** Name of the user filter variable it drives. */
  userVariable: string;
}

/**
 * "My jobs": sets the user filter to the Grafana login, taken as the Slurm user name (sites map logins
 * to Slurm users one to one; where they differ, the user filter takes any name). The state lives in the
 * user variable, hence in the URL (var-user=<login>), not in the toggle.
 */
export class MyJobsToggle extends SceneObjectBase<MyJobsToggleState> {
  private variable(): SlurmResourceVariable | undefined {
    const v = sceneGraph.lookupVariable(this.state.userVariable, this);
    return v instanceof SlurmResourceVariable ? v : undefined;
  }

  static Component = ({ model }: SceneComponentProps<MyJobsToggle>) => {
    const variable = model.variable();
    // Re-render when the user filter changes (also from the URL or the select).
    variable?.useState();
    const login = config.bootData.user?.login ?? '';
    const value = variable?.getValue();
    const values = Array.isArray(value) ? value : value ? [value] : [];
    const on = values.length === 1 && values[0] === login;
    return (
      <InlineSwitch
        label="My jobs"
        showLabel
        value={on}
        disabled={!login || !variable}
        title={login ? `Only jobs of Slurm user ${login}` : 'Not signed in'}
        onChange={() =>
          on
            ? variable?.changeValueTo([ALL_VARIABLE_VALUE], [ALL_VARIABLE_TEXT], true)
            : variable?.changeValueTo([login], [login], true)
        }
      />
    );
  };
}
