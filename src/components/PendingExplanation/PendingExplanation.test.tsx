import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { PendingAnswer } from '../../api/pendingExplanation';
import { PendingExplanationView } from './PendingExplanation';
// What GET pending/{jobId} answered for two seeded jobs of the local Slurm 22.05 stack
// (pkg/plugin integration_pending_test.go logs it).
import seeded from './seededStack.json';

const answers = seeded as unknown as Record<string, PendingAnswer>;
const jobHref = (id: string) => `/a/hpc-slurm-app/jobs/${id}`;

describe('PendingExplanationView', () => {
  it('explains a job blocked by a maintenance reservation, with its numbers and what would help', () => {
    render(<PendingExplanationView answer={answers.maint_cross} jobHref={jobHref} />);
    const section = screen.getByRole('region', { name: 'Why it is pending' });
    expect(within(section).getByText('Blocked by a reservation')).toBeInTheDocument();
    expect(within(section).getByText(/ReqNodeNotAvail, Reserved for maintenance/)).toBeInTheDocument();
    expect(within(section).getAllByText(/maint_window starts/).length).toBeGreaterThan(0);
    const facts = screen.getByLabelText('What it asks for and what the partition has');
    expect(within(facts).getByText('Idle CPUs in cpu')).toBeInTheDocument();
    expect(within(facts).getByText('0 of 16')).toBeInTheDocument();
    const help = screen.getByRole('list', { name: 'What would help' });
    expect(
      within(help).getByText('A time limit of at most 23h 59m ends before reservation maint_window starts.')
    ).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'What makes it impossible' })).not.toBeInTheDocument();
  });

  it('names the limit with its value and what is in use', () => {
    render(<PendingExplanationView answer={answers.capped_wait} jobHref={jobHref} />);
    expect(screen.getByText('Held by a limit')).toBeInTheDocument();
    const limit = screen.getByLabelText('Limit');
    expect(within(limit).getByText('QOS capped MaxJobsPerUser')).toBeInTheDocument();
    expect(within(limit).getByText('Set to').nextSibling).toHaveTextContent('1 jobs');
    expect(within(limit).getByText('In use now').nextSibling).toHaveTextContent('1 jobs');
  });

  it('says plainly when a job can never start, and links the jobs it waits for', () => {
    const impossible: PendingAnswer = {
      ...answers.capped_wait,
      explanation: {
        ...answers.capped_wait.explanation,
        category: 'impossible',
        categoryTitle: 'Can never start',
        canEverStart: false,
        blockers: ['QOS capped MaxTRESPerUser cpu=2; this job asks for 4.'],
        dependencies: [
          {
            type: 'afterok',
            jobId: '1024',
            status: 'unfulfilled',
            name: 'md_run',
            state: 'RUNNING',
            text: 'It waits for job 1024 (md_run, RUNNING now) to end successfully.',
          },
        ],
      },
      warnings: ['QOS and association limits are not shown: slurmdbd did not answer'],
    };
    // TextLink is a router link inside Grafana: the page gives it a router.
    render(
      <MemoryRouter>
        <PendingExplanationView answer={impossible} jobHref={jobHref} />
      </MemoryRouter>
    );
    expect(
      within(screen.getByRole('list', { name: 'What makes it impossible' })).getByText(
        'QOS capped MaxTRESPerUser cpu=2; this job asks for 4.'
      )
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Job 1024' })).toHaveAttribute('href', '/a/hpc-slurm-app/jobs/1024');
    expect(screen.getByText('QOS and association limits are not shown: slurmdbd did not answer')).toBeInTheDocument();
  });
});
