import React, { useEffect, useState } from 'react';
import { Alert } from '@grafana/ui';
import type { DataSource } from '../../datasource';

/** The backend's `capabilities` route: what the cluster's slurmrestd API version can answer. */
export interface Capabilities {
  apiVersion: string;
  queryTypes: Record<string, { supported: boolean; since: string; message?: string }>;
}

/** One request per data source and page: the API version does not change while an editor is open. */
const asked = new Map<string, Promise<Capabilities | undefined>>();

function capabilitiesOf(datasource: Pick<DataSource, 'uid' | 'getResource'>): Promise<Capabilities | undefined> {
  let answer = asked.get(datasource.uid);
  if (!answer) {
    // Not knowing (slurmrestd down, an older backend) says nothing: the query itself will tell.
    answer = datasource.getResource<Capabilities>('capabilities').catch(() => undefined);
    asked.set(datasource.uid, answer);
  }
  return answer;
}

/** Forget what was learnt (tests, or after the data source's settings changed). */
export function forgetCapabilities() {
  asked.clear();
}

interface Props {
  datasource: Pick<DataSource, 'uid' | 'getResource'>;
  queryType: string | undefined;
}

/** Says before anyone runs it that the cluster's API version cannot answer this query type. */
export function CapabilityNote({ datasource, queryType }: Props) {
  const [caps, setCaps] = useState<Capabilities>();
  useEffect(() => {
    let live = true;
    capabilitiesOf(datasource).then((c) => live && setCaps(c));
    return () => {
      live = false;
    };
  }, [datasource]);
  const entry = queryType ? caps?.queryTypes?.[queryType] : undefined;
  if (!entry || entry.supported) {
    return null;
  }
  return (
    <Alert severity="warning" title={`Not available with slurmrestd API ${caps?.apiVersion}`}>
      {entry.message ?? `This query type needs slurmrestd API ${entry.since} or later.`}
    </Alert>
  );
}
