import { jobActionsFor, nodeActionsFor } from './actionsFor';
import { actionRoute } from '../../api/operatorActions';

describe('which actions a job or node offers', () => {
  it('follows the job state as Slurm commands do', () => {
    expect(jobActionsFor('PENDING', 'Priority')).toEqual(['hold', 'cancel']);
    expect(jobActionsFor('PENDING', 'JobHeldUser')).toEqual(['release', 'cancel']);
    expect(jobActionsFor('PENDING', 'JobHeldAdmin')).toEqual(['release', 'cancel']);
    expect(jobActionsFor('RUNNING', 'None')).toEqual(['requeue', 'cancel']);
    expect(jobActionsFor('COMPLETED', 'None')).toEqual([]);
    expect(jobActionsFor('CANCELLED', 'None')).toEqual([]);
    expect(jobActionsFor('', '')).toEqual([]);
  });

  it('resumes a drained or down node and drains one that takes jobs', () => {
    expect(nodeActionsFor('ALLOCATED', ['DRAIN'])).toEqual(['resume']);
    expect(nodeActionsFor('IDLE', [])).toEqual(['drain']);
    expect(nodeActionsFor('DOWN', ['NOT_RESPONDING'])).toEqual(['resume', 'drain']);
  });
});

describe('actionRoute', () => {
  it('puts one target in the path and several in a bulk body', () => {
    expect(actionRoute({ action: 'release', targets: ['123_4'] })).toEqual({
      path: 'actions/jobs/123_4/release',
      body: {},
    });
    expect(actionRoute({ action: 'drain', targets: ['node[01-02]'], reason: ' fan ' })).toEqual({
      path: 'actions/nodes/node%5B01-02%5D/drain',
      body: { reason: 'fan' },
    });
    expect(actionRoute({ action: 'resume', targets: ['node01', 'node02'] })).toEqual({
      path: 'actions/nodes/bulk',
      body: { action: 'resume', nodes: ['node01', 'node02'] },
    });
  });
});
