import React from 'react';
import { Alert, TextLink } from '@grafana/ui';
import { APP_PLUGIN_ID, DATASOURCE_PLUGIN_ID } from '../../constants';

/**
 * Shown instead of the pages until a Slurm data source is chosen: the steps from a fresh install to a
 * working console, each linking to the Grafana page where it happens.
 */
export function GuidedSetup({ missingUids = [] }: { missingUids?: string[] }) {
  return (
    <Alert severity="warning" title="No Slurm data source chosen">
      {missingUids.length > 0 && (
        <p>
          The configured data source{missingUids.length > 1 ? 's' : ''} {missingUids.join(', ')} no longer exist
          {missingUids.length > 1 ? '' : 's'}.
        </p>
      )}
      <ol>
        <li>
          Add a Slurm data source for each cluster:{' '}
          <TextLink href={`/connections/datasources/new?type=${DATASOURCE_PLUGIN_ID}`}>new data source</TextLink> (the
          slurmrestd URL and a token or JWT key; Save &amp; test checks it).
        </li>
        <li>
          Choose it, and optionally Prometheus and Alertmanager, on the app&apos;s{' '}
          <TextLink href={`/plugins/${APP_PLUGIN_ID}`}>configuration page</TextLink>.
        </li>
        <li>Come back here: every page then shows the chosen cluster.</li>
      </ol>
    </Alert>
  );
}
