import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DataSourceSettings } from '@grafana/data';
import { ConfigEditor } from './ConfigEditor';
import type { SlurmDataSourceOptions, SlurmSecureJsonData } from '../../types';

type Settings = DataSourceSettings<SlurmDataSourceOptions, SlurmSecureJsonData>;

// `database` and `id` are deprecated but still part of the type; the editor uses neither, so they are left out.
function settings(overrides: Partial<Settings> = {}): Settings {
  return {
    uid: 'slurm',
    orgId: 1,
    name: 'Slurm',
    type: 'hpc-slurm-datasource',
    typeName: 'Slurm',
    typeLogoUrl: '',
    access: 'proxy',
    url: 'http://127.0.0.1:6820',
    user: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    readOnly: false,
    withCredentials: false,
    jsonData: { slurmUser: 'grafana', authMode: 'token' },
    secureJsonFields: {},
    ...overrides,
  } as Settings;
}

/** Holds the options the way Grafana's data source page does, and records every change. */
function renderEditor(initial: Settings) {
  const changes: Settings[] = [];
  function Harness() {
    const [options, setOptions] = useState(initial);
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(next) => {
          changes.push(next);
          setOptions(next);
        }}
      />
    );
  }
  render(<Harness />);
  return { changes, last: () => changes[changes.length - 1] };
}

describe('ConfigEditor', () => {
  it('shows a stored token only as configured and resets it on request', async () => {
    const { last } = renderEditor(settings({ secureJsonFields: { token: true } }));

    const token = screen.getByPlaceholderText('eyJhbGciOi…');
    expect(token).toBeDisabled();
    expect(token).toHaveValue('configured');

    await userEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(last().secureJsonFields.token).toBe(false);
    expect(last().secureJsonData?.token).toBe('');
    expect(screen.getByPlaceholderText('eyJhbGciOi…')).toBeEnabled();
    // With the stored token forgotten and none typed, the form says what is missing.
    expect(screen.getByText(/Token is required in token mode/)).toBeInTheDocument();
  });

  it('writes a typed token into secureJsonData, never into jsonData', async () => {
    const { last } = renderEditor(settings());
    await userEvent.type(screen.getByPlaceholderText('eyJhbGciOi…'), 's3cret');
    expect(last().secureJsonData).toEqual({ token: 's3cret' });
    expect(JSON.stringify(last().jsonData)).not.toContain('s3cret');
  });

  it('switches to JWT key mode with its own secret and lifespan', async () => {
    const { last } = renderEditor(settings({ secureJsonFields: { token: true } }));
    await userEvent.click(screen.getByRole('radio', { name: 'JWT key' }));
    expect(last().jsonData.authMode).toBe('jwtKey');
    expect(screen.queryByPlaceholderText('eyJhbGciOi…')).not.toBeInTheDocument();
    expect(screen.getByText(/JWT key is required in JWT key mode/)).toBeInTheDocument();

    // Slurm's key file is binary: the help gives the one line that encodes it.
    expect(screen.getByText('echo "base64:$(base64 -w0 /etc/slurm/jwt_hs256.key)"')).toBeInTheDocument();
    await userEvent.type(screen.getByPlaceholderText('base64:…'), 'k');
    expect(last().secureJsonData).toEqual({ jwtKey: 'k' });

    await userEvent.type(screen.getByPlaceholderText('900'), '1200');
    expect(last().jsonData.jwtLifespanSeconds).toBe(1200);
    expect(screen.getByText('Token lifespan must be at most 900 seconds')).toBeInTheDocument();
  });

  it('explains a bad URL and accepts a unix socket', async () => {
    renderEditor(settings());
    const url = screen.getByPlaceholderText('http://127.0.0.1:6820');

    await userEvent.clear(url);
    await userEvent.type(url, 'ftp://x');
    expect(screen.getByText('URL scheme "ftp" is not supported; use http, https or unix')).toBeInTheDocument();

    await userEvent.clear(url);
    await userEvent.type(url, 'unix:///run/slurmrestd.socket');
    expect(screen.queryByText(/not supported/)).not.toBeInTheDocument();
  });

  it('stores intervals as numbers, an empty field as unset, and flags a too short refresh', async () => {
    const { last } = renderEditor(settings({ secureJsonFields: { token: true } }));
    const refresh = screen.getByPlaceholderText('30');

    await userEvent.type(refresh, '5');
    expect(last().jsonData.refreshIntervalSeconds).toBe(5);
    expect(screen.getByText('Refresh interval must be at least 10 seconds')).toBeInTheDocument();

    await userEvent.clear(refresh);
    expect(last().jsonData.refreshIntervalSeconds).toBeUndefined();
    expect(screen.queryByText(/Refresh interval must/)).not.toBeInTheDocument();
  });

  it('asks for the CA certificate only when "with CA cert" is on', async () => {
    const { last } = renderEditor(settings({ secureJsonFields: { token: true } }));
    expect(screen.queryByPlaceholderText('-----BEGIN CERTIFICATE-----')).not.toBeInTheDocument();

    await userEvent.click(screen.getByLabelText(/^With CA cert/));
    expect(last().jsonData.tlsWithCACert).toBe(true);
    expect(screen.getByPlaceholderText('-----BEGIN CERTIFICATE-----')).toBeInTheDocument();
    expect(screen.getByText(/CA certificate is required/)).toBeInTheDocument();
  });

  it('stores the maximum rows as a number and rejects one beyond the backend ceiling', async () => {
    const { last } = renderEditor(settings({ secureJsonFields: { token: true } }));
    const maxRows = screen.getByPlaceholderText('10000');

    await userEvent.type(maxRows, '20000');
    expect(last().jsonData.maxRows).toBe(20000);
    expect(screen.queryByText(/Maximum rows must/)).not.toBeInTheDocument();

    await userEvent.type(maxRows, '0');
    expect(last().jsonData.maxRows).toBe(200000);
    expect(screen.getByText('Maximum rows must be a whole number from 1 to 25000')).toBeInTheDocument();
  });
});
