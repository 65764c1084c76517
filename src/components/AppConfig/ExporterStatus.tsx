import React, { useEffect, useState } from 'react';
import { Alert, Badge, Stack } from '@grafana/ui';
import { errorMessage } from '../../api/slurmResources';
import { detectExporters, type ExporterFinding } from '../../api/prometheusExporters';

/**
 * Which exporters the chosen Prometheus has series from, so the operator knows in advance which pages
 * will show GPU, power or per-job panels and which will say "no data".
 */
export function ExporterStatus({ prometheusUid }: { prometheusUid?: string }) {
  const [result, setResult] = useState<{ uid: string; findings?: ExporterFinding[]; error?: string }>();
  useEffect(() => {
    if (!prometheusUid) {
      return;
    }
    let current = true;
    detectExporters(prometheusUid).then(
      (findings) => current && setResult({ uid: prometheusUid, findings }),
      (err) => current && setResult({ uid: prometheusUid, error: errorMessage(err) })
    );
    return () => {
      current = false;
    };
  }, [prometheusUid]);

  if (!prometheusUid) {
    return null;
  }
  if (result?.uid !== prometheusUid) {
    return <span>Looking for exporters…</span>;
  }
  if (result.error) {
    return (
      <Alert severity="warning" title="Could not list the Prometheus metrics">
        {result.error}
      </Alert>
    );
  }
  return (
    <Stack direction="row" gap={1} wrap="wrap" aria-label="Exporters found">
      {result.findings!.map((f) => (
        <Badge
          key={f.id}
          text={`${f.name}: ${f.found ? 'found' : 'not found'}`}
          color={f.found ? 'green' : 'orange'}
          icon={f.found ? 'check' : 'exclamation-triangle'}
        />
      ))}
    </Stack>
  );
}
