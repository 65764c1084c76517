import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { installGrafana } from '../../testing/grafanaServices';
import type { ActionAnswer, ActionCapabilities, ActionCapability, ActionName } from '../../api/operatorActions';
import { ActionBar } from './ActionBar';
import { useActionCapabilities } from './useActionCapabilities';

const CAPS_URL = '/api/datasources/uid/slurm/resources/actions/capabilities';

function cap(family: 'jobs' | 'nodes', allowed: boolean, code?: string, reason?: string): ActionCapability {
  return {
    family,
    allowed,
    code,
    reason,
    minRole: family === 'jobs' ? 'Editor' : 'Admin',
    since: 'v0.0.38',
    needsReason: false,
  };
}

/** What the data source answers an Editor mapped to alice on 22.05 (API v0.0.38). */
function editorOn2205(): ActionCapabilities {
  return {
    apiVersion: 'v0.0.38',
    user: { login: 'alice', role: 'Editor' },
    identity: { mode: 'grafanaUser', slurmUser: 'alice', allowed: true },
    rbac: { checked: false, note: '' },
    audit: { annotations: true },
    maxTargets: 128,
    actions: {
      cancel: cap('jobs', true),
      hold: cap('jobs', true),
      release: cap('jobs', true),
      requeue: cap(
        'jobs',
        false,
        'unsupported',
        'requeue is unavailable on API v0.0.38: slurmrestd offers job requeue from API v0.0.45 on'
      ),
      drain: {
        ...cap('nodes', false, 'role', 'node actions need the Grafana role Admin or higher; alice has Editor'),
        needsReason: true,
      },
      resume: cap('nodes', false, 'role', 'node actions need the Grafana role Admin or higher; alice has Editor'),
    },
  };
}

function Bar(props: { actions: ActionName[]; targets: string[]; onDone?: () => void }) {
  const capabilities = useActionCapabilities('slurm');
  return <ActionBar datasourceUid="slurm" capabilities={capabilities} noTargets="Select jobs first" {...props} />;
}

function answer(action: string, results: ActionAnswer['results'], extra: Partial<ActionAnswer> = {}): ActionAnswer {
  return { action, slurmUser: 'alice', results, audit: { annotations: true }, ...extra };
}

async function tooltipOf(action: string): Promise<string> {
  await userEvent.hover(screen.getByTestId(`action-${action}`));
  const tip = await screen.findByRole('tooltip');
  const text = tip.textContent ?? '';
  await userEvent.unhover(screen.getByTestId(`action-${action}`));
  return text;
}

describe('ActionBar', () => {
  it('disables what the user may not do and says why: role, API version, unmapped user', async () => {
    installGrafana({ slurm: () => [], get: (url) => (url === CAPS_URL ? editorOn2205() : undefined) });
    render(<Bar actions={['hold', 'requeue', 'cancel', 'drain']} targets={['1042']} />);
    // The buttons are rendered anew once the capabilities arrive: query them each time.
    await waitFor(() => expect(screen.getByRole('button', { name: 'Hold' })).toBeEnabled());
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Requeue' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Drain' })).toBeDisabled();
    expect(await tooltipOf('requeue')).toMatch(/unavailable on API v0\.0\.38/);
    expect(await tooltipOf('drain')).toMatch(/need the Grafana role Admin.*alice has Editor/);
    expect(screen.getByRole('button', { name: 'Drain' })).toHaveAccessibleDescription(/role Admin/);
  });

  it('says the user is unmapped, and what failed when the capabilities cannot be read', async () => {
    const caps = editorOn2205();
    caps.actions.cancel = cap(
      'jobs',
      false,
      'unmapped',
      'Grafana user eve has no Slurm user: users are mapped by the mapping table only'
    );
    installGrafana({ slurm: () => [], get: (url) => (url === CAPS_URL ? caps : undefined) });
    const { unmount } = render(<Bar actions={['cancel']} targets={['1042']} />);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Cancel' })).toBeDisabled());
    await waitFor(async () => expect(await tooltipOf('cancel')).toMatch(/eve has no Slurm user/));
    unmount();

    installGrafana({ slurm: () => [], get: () => new Error('Bad Gateway') });
    render(<Bar actions={['cancel']} targets={['1042']} />);
    await waitFor(async () => expect(await tooltipOf('cancel')).toMatch(/Cannot tell what you may do.*Bad Gateway/));
  });

  it('confirms, cancels one job, says so and refreshes the page', async () => {
    const recorded = installGrafana({
      slurm: () => [],
      get: (url) => (url === CAPS_URL ? editorOn2205() : undefined),
      post: () => ({ status: 200, data: answer('cancel', [{ target: '1042', result: 'done' }]) }),
    });
    const onDone = jest.fn();
    render(<Bar actions={['cancel']} targets={['1042']} onDone={onDone} />);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Cancel' })).toBeEnabled());
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Cancel job 1042?')).toBeInTheDocument();
    expect(recorded.posts).toHaveLength(0); // nothing before the confirmation
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel job 1042' }));
    expect(await screen.findByText('Cancelled job 1042 as Slurm user alice.')).toBeInTheDocument();
    expect(recorded.posts).toEqual([
      { url: '/api/datasources/uid/slurm/resources/actions/jobs/1042/cancel', body: {} },
    ]);
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it("shows Slurm's refusal and does not refresh", async () => {
    installGrafana({
      slurm: () => [],
      get: (url) => (url === CAPS_URL ? editorOn2205() : undefined),
      post: () => ({
        status: 409,
        data: answer('cancel', [
          {
            target: '1043',
            result: 'refused',
            message: 'Slurm: 2002: Access/permission denied: unable to kill JobId=1043',
          },
        ]),
      }),
    });
    const onDone = jest.fn();
    render(<Bar actions={['cancel']} targets={['1043']} onDone={onDone} />);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Cancel' })).toBeEnabled());
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await userEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Cancel job 1043' }));
    expect(
      await screen.findByText(/Cancel job 1043 was refused as Slurm user alice: Slurm: 2002: Access\/permission denied/)
    ).toBeInTheDocument();
    expect(onDone).not.toHaveBeenCalled();
  });

  it('asks for a drain reason, checks it like the backend and sends it', async () => {
    const caps = editorOn2205();
    caps.user = { login: 'alice', role: 'Admin' };
    caps.actions.drain = { ...cap('nodes', true), needsReason: true };
    const recorded = installGrafana({
      slurm: () => [],
      get: (url) => (url === CAPS_URL ? caps : undefined),
      post: () => ({ status: 200, data: answer('drain', [{ target: 'node01', result: 'done' }]) }),
    });
    render(<Bar actions={['drain']} targets={['node01']} />);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Drain' })).toBeEnabled());
    await userEvent.click(screen.getByRole('button', { name: 'Drain' }));
    const dialog = await screen.findByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Drain node node01' });
    expect(confirm).toBeDisabled();
    expect(within(dialog).getByText(/A reason is required/)).toBeInTheDocument();
    const reason = within(dialog).getByRole('textbox');
    await userEvent.click(reason);
    await userEvent.paste('x'.repeat(257));
    expect(within(dialog).getByText('At most 256 characters')).toBeInTheDocument();
    expect(confirm).toBeDisabled();
    await userEvent.clear(reason);
    await userEvent.type(reason, 'fan failure');
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);
    expect(await screen.findByText(/Drained node node01/)).toBeInTheDocument();
    expect(recorded.posts[0]).toEqual({
      url: '/api/datasources/uid/slurm/resources/actions/nodes/node01/drain',
      body: { reason: 'fan failure' },
    });
  });

  it('acts on the selected jobs at once, with the count in the confirmation, and reports each', async () => {
    const recorded = installGrafana({
      slurm: () => [],
      get: (url) =>
        url === CAPS_URL
          ? { ...editorOn2205(), audit: { annotations: false, note: 'no Grafana annotation was created' } }
          : undefined,
      post: () => ({
        status: 200,
        data: answer(
          'hold',
          [
            { target: '1042', result: 'done' },
            { target: '1043', result: 'refused', message: 'Slurm: 2010: Invalid user id' },
            { target: '1044', result: 'done' },
          ],
          { audit: { annotations: false, note: 'no Grafana annotation was created' } }
        ),
      }),
    });
    render(<Bar actions={['hold']} targets={['1042', '1043', '1044']} />);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Hold 3' })).toBeEnabled());
    await userEvent.click(screen.getByRole('button', { name: 'Hold 3' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Hold 3 jobs?')).toBeInTheDocument();
    expect(within(dialog).getByText('1042, 1043, 1044')).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Hold 3 jobs' }));
    expect(await screen.findByText(/2 of 3 done\. Hold job 1043 was refused.*Invalid user id/)).toBeInTheDocument();
    expect(screen.getByText('no Grafana annotation was created')).toBeInTheDocument();
    expect(recorded.posts[0]).toEqual({
      url: '/api/datasources/uid/slurm/resources/actions/jobs/bulk',
      body: { action: 'hold', jobs: ['1042', '1043', '1044'] },
    });
  });

  it('is disabled with nothing selected, and beyond the data source maximum', async () => {
    installGrafana({
      slurm: () => [],
      get: (url) => (url === CAPS_URL ? { ...editorOn2205(), maxTargets: 2 } : undefined),
    });
    const { rerender } = render(<Bar actions={['cancel']} targets={[]} />);
    await waitFor(async () => expect(await tooltipOf('cancel')).toBe('Select jobs first'));
    rerender(<Bar actions={['cancel']} targets={['1', '2', '3']} />);
    await waitFor(async () => expect(await tooltipOf('cancel')).toMatch(/3 selected: at most 2 per action/));
  });
});
