import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/slurmResources';
import { fetchActionCapabilities, type ActionCapabilities } from '../../api/operatorActions';

export interface CapabilitiesState {
  capabilities?: ActionCapabilities;
  /** Why they could not be read (the buttons stay disabled and say so). */
  error?: string;
  loading: boolean;
}

/** What the signed-in user may do on one Slurm data source, asked once per data source. */
export function useActionCapabilities(datasourceUid: string | undefined): CapabilitiesState {
  // Keyed by the uid asked, so a change of cluster shows "loading" until its own answer arrives.
  const [answer, setAnswer] = useState<{ uid: string; capabilities?: ActionCapabilities; error?: string }>();
  useEffect(() => {
    if (!datasourceUid) {
      return;
    }
    let live = true;
    fetchActionCapabilities(datasourceUid).then(
      (capabilities) => live && setAnswer({ uid: datasourceUid, capabilities }),
      (err) => live && setAnswer({ uid: datasourceUid, error: errorMessage(err) })
    );
    return () => {
      live = false;
    };
  }, [datasourceUid]);
  if (!datasourceUid) {
    return { loading: false, error: 'no Slurm data source is chosen' };
  }
  if (answer?.uid !== datasourceUid) {
    return { loading: true };
  }
  return { loading: false, capabilities: answer.capabilities, error: answer.error };
}
