import { FieldType, toDataFrame, type DataFrame } from '@grafana/data';

/**
 * A deterministic 10k-node cluster shaped like the backend's nodes and jobs frames (field names of the
 * query model contract): racks of nodes in a few partitions, states in realistic proportions, some
 * drained with a reason, and running jobs spread over 1–8 nodes each with compressed hostlists.
 */
export function syntheticCluster(nodeCount: number, jobCount: number): { nodes: DataFrame; jobs: DataFrame } {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const perRack = 40;
  const names: string[] = [];
  const state: string[] = [];
  const stateBase: string[] = [];
  const reason: Array<string | null> = [];
  const partitions: string[] = [];
  const cpus: number[] = [];
  const cpusAlloc: number[] = [];
  const gpus: number[] = [];
  const gpusAlloc: number[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const rack = Math.floor(i / perRack);
    const gpuNode = rack % 5 === 0;
    names.push(`${gpuNode ? 'gpu' : 'cn'}${String(rack).padStart(3, '0')}n${String(i % perRack).padStart(2, '0')}`);
    const r = rand();
    const base = r < 0.55 ? 'ALLOCATED' : r < 0.8 ? 'MIXED' : r < 0.95 ? 'IDLE' : r < 0.98 ? 'MIXED' : 'DOWN';
    const drained = r >= 0.95 && r < 0.98;
    stateBase.push(base);
    state.push(drained ? `${base},DRAIN` : base);
    reason.push(drained ? 'bad DIMM, ticket 4711' : base === 'DOWN' ? 'Not responding' : null);
    partitions.push(gpuNode ? 'gpu' : rack % 3 === 0 ? 'long,batch' : 'batch');
    cpus.push(64);
    cpusAlloc.push(base === 'ALLOCATED' ? 64 : base === 'MIXED' ? Math.floor(rand() * 64) : 0);
    gpus.push(gpuNode ? 8 : 0);
    gpusAlloc.push(gpuNode ? Math.floor(rand() * 9) : 0);
  }
  const nodes = toDataFrame({
    refId: 'nodes',
    fields: [
      { name: 'node', type: FieldType.string, values: names },
      { name: 'state', type: FieldType.string, values: state },
      { name: 'state_base', type: FieldType.string, values: stateBase },
      { name: 'reason', type: FieldType.string, values: reason },
      { name: 'partitions', type: FieldType.string, values: partitions },
      { name: 'cpus', type: FieldType.number, values: cpus },
      { name: 'cpus_alloc', type: FieldType.number, values: cpusAlloc },
      { name: 'gpus', type: FieldType.number, values: gpus },
      { name: 'gpus_alloc', type: FieldType.number, values: gpusAlloc },
    ],
  });
  const ids: string[] = [];
  const lists: string[] = [];
  for (let j = 0; j < jobCount; j++) {
    const first = Math.floor(rand() * (nodeCount - 8));
    const span = 1 + Math.floor(rand() * 8);
    const prefix = names[first].slice(0, -2);
    const lo = first % perRack;
    const hi = Math.min(perRack - 1, lo + span - 1);
    ids.push(String(100000 + j));
    lists.push(hi > lo ? `${prefix}[${String(lo).padStart(2, '0')}-${String(hi).padStart(2, '0')}]` : names[first]);
  }
  const jobs = toDataFrame({
    refId: 'jobs',
    fields: [
      { name: 'job_id', type: FieldType.string, values: ids },
      { name: 'nodes', type: FieldType.string, values: lists },
    ],
  });
  return { nodes, jobs };
}
