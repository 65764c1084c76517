import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ActionSettings, validateActionSettings } from './ActionSettings';
import type { SlurmDataSourceOptions } from '../../types';

function renderSettings(initial: SlurmDataSourceOptions) {
  const changes: SlurmDataSourceOptions[] = [];
  function Harness() {
    const [jsonData, setData] = useState(initial);
    return (
      <ActionSettings
        jsonData={jsonData}
        labelWidth={60}
        setJsonData={(patch) => {
          const next = { ...jsonData, ...patch };
          changes.push(next);
          setData(next);
        }}
      />
    );
  }
  render(<Harness />);
  return { last: () => changes[changes.length - 1] };
}

describe('ActionSettings', () => {
  it('defaults to the data source identity with Editor for jobs and Admin for nodes', () => {
    renderSettings({ slurmUser: 'grafana', authMode: 'token' });
    expect(screen.getByRole('radio', { name: "The data source's Slurm user" })).toBeChecked();
    const editors = screen.getAllByRole('radio', { name: 'Editor' });
    const admins = screen.getAllByRole('radio', { name: 'Admin' });
    expect(editors[0]).toBeChecked();
    expect(admins[1]).toBeChecked();
    expect(screen.queryByText('Mapping table')).not.toBeInTheDocument();
  });

  it("refuses the Grafana user's identity without a JWT key, and shows the mapping with one", async () => {
    const { last } = renderSettings({ slurmUser: 'grafana', authMode: 'token' });
    await userEvent.click(screen.getByRole('radio', { name: "The Grafana user's own Slurm user" }));
    expect(last().actionIdentity).toBe('grafanaUser');
    expect(screen.getByText(/needs the JWT key auth mode/)).toBeInTheDocument();
    expect(validateActionSettings({ authMode: 'jwtKey', actionIdentity: 'grafanaUser' })).toEqual({});
  });

  it('edits the mapping table, the deny list and the operator switch', async () => {
    const { last } = renderSettings({ slurmUser: 'grafana', authMode: 'jwtKey', actionIdentity: 'grafanaUser' });
    await userEvent.click(screen.getByRole('button', { name: 'Add mapping' }));
    await userEvent.type(screen.getByLabelText('Grafana login 1'), 'a.smith');
    expect(screen.getByText(/Each mapping needs/)).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Slurm user 1'), 'alice');
    expect(last().actionUserMap).toEqual({ 'a.smith': 'alice' });
    expect(screen.queryByText(/Each mapping needs/)).not.toBeInTheDocument();

    await userEvent.type(screen.getByPlaceholderText('Slurm user, then Enter'), 'svc_backup{enter}');
    expect(last().actionDenyUsers).toEqual(['svc_backup']);

    const adminsSwitch = screen.getByLabelText(/^Never act as Slurm operators and administrators/);
    expect(adminsSwitch).toBeChecked();
    await userEvent.click(adminsSwitch);
    expect(last().actionDenySlurmAdmins).toBe(false);

    await userEvent.click(screen.getByRole('button', { name: 'Remove this mapping' }));
    expect(last().actionUserMap).toEqual({});
  });

  it('bounds the hostlist expansion like the backend', async () => {
    const { last } = renderSettings({ slurmUser: 'grafana' });
    const input = screen.getByPlaceholderText('128');
    await userEvent.type(input, '0');
    expect(last().maxHostlistExpansion).toBe(0);
    expect(screen.getByText('Must be a whole number from 1 to 4096')).toBeInTheDocument();
    await userEvent.clear(input);
    expect(last().maxHostlistExpansion).toBeUndefined();
  });
});
