import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, MultiCombobox, Stack, Text, useStyles2 } from '@grafana/ui';
import type { ActionName } from '../../api/operatorActions';
import { ActionBar } from './ActionBar';
import type { CapabilitiesState } from './useActionCapabilities';

interface Props {
  datasourceUid?: string;
  actions: ActionName[];
  /** What the page shows now (the jobs table's rows, the nodes the map's filter matches), in its order. */
  shown: string[];
  /** "job" or "node". */
  noun: 'job' | 'node';
  capabilities: CapabilitiesState;
  onDone?: () => void;
}

/**
 * Bulk actions on jobs or nodes chosen among those the page shows. Grafana's table panel has no row
 * selection, so the choice is made here: pick some, or all the page's filters show, and the action buttons
 * carry the count (as does their confirmation).
 */
export function SelectionActions({ datasourceUid, actions, shown, noun, capabilities, onDone }: Props) {
  const styles = useStyles2(getStyles);
  const [picked, setPicked] = useState<string[]>([]);
  // A choice the page no longer shows (acted on, filtered away) is dropped.
  const selected = useMemo(() => {
    const visible = new Set(shown);
    return picked.filter((p) => visible.has(p));
  }, [picked, shown]);
  const options = useMemo(() => shown.map((v) => ({ label: v, value: v })), [shown]);

  return (
    <section aria-label={`Act on selected ${noun}s`} className={styles.section}>
      <Stack direction="row" gap={1} wrap="wrap" alignItems="center">
        <Text variant="bodySmall" color="secondary">
          {`Act on ${noun}s`}
        </Text>
        <div className={styles.picker}>
          <MultiCombobox<string>
            aria-label={`Selected ${noun}s`}
            placeholder={shown.length === 0 ? `No ${noun}s shown` : `Choose ${noun}s shown below`}
            options={options}
            value={selected}
            width="auto"
            minWidth={30}
            maxWidth={80}
            onChange={(chosen) => setPicked(chosen.map((o) => o.value))}
          />
        </div>
        <Button
          size="sm"
          variant="secondary"
          fill="outline"
          disabled={shown.length === 0}
          onClick={() => setPicked(shown)}
        >
          {`Select all ${shown.length} shown`}
        </Button>
        {selected.length > 0 && (
          <Button size="sm" variant="secondary" fill="text" onClick={() => setPicked([])}>
            Clear
          </Button>
        )}
      </Stack>
      <ActionBar
        datasourceUid={datasourceUid}
        actions={actions}
        targets={selected}
        capabilities={capabilities}
        noTargets={`Choose ${noun}s first, or select all shown`}
        onDone={() => {
          setPicked([]);
          onDone?.();
        }}
      />
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), padding: theme.spacing(1, 0) }),
  picker: css({ minWidth: 240 }),
});
