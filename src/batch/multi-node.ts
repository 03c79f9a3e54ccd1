/**
 * Multi-node parallel jobs: a job definition's `nodeProperties` (numNodes, mainNode, node
 * ranges with their containers) and, at submission, one child job `<id>#<node>` per node with
 * the container of the range that covers it. The parent ends when the main node ends, with the
 * main node's result; the other nodes are then stopped.
 */
import type { Input } from '../core/validate.js';
import { clientError, v } from './errors.js';
import { resourcesOf, validateContainer } from './job-definitions.js';
import type { ContainerProperties, JobRecord } from './model.js';

export interface NodeRange {
  targetNodes: string;
  container?: ContainerProperties;
}

export interface NodeProperties {
  numNodes: number;
  mainNode: number;
  nodeRangeProperties: NodeRange[];
}

/** Parses `targetNodes` ("0", "0:3", ":3", "2:") into an inclusive range. */
export function parseRange(text: string, numNodes: number): [number, number] {
  const m = /^(\d*)(:?)(\d*)$/.exec(text);
  if (!m) throw clientError(`Invalid targetNodes ${text}.`);
  const [, from = '', colon, to = ''] = m;
  const start = from === '' ? 0 : Number(from);
  const end = colon ? (to === '' ? numNodes - 1 : Number(to)) : start;
  if (start > end || end >= numNodes) throw clientError(`targetNodes ${text} is outside 0..${numNodes - 1}.`);
  return [start, end];
}

export function validateNodeProperties(input: Input): NodeProperties {
  const numNodes = v.requireInteger(input, 'numNodes', { min: 1, max: 1000 });
  const mainNode = v.requireInteger(input, 'mainNode', { min: 0 });
  if (mainNode >= numNodes) throw clientError('nodeProperties.mainNode must be less than numNodes.');
  const ranges = v.optionalList(input, 'nodeRangeProperties') ?? [];
  if (ranges.length === 0) throw clientError('nodeProperties.nodeRangeProperties must contain at least one node range.');
  const covered = new Array<boolean>(numNodes).fill(false);
  const nodeRangeProperties = ranges.map((entry) => {
    const e = (entry ?? {}) as Input;
    const targetNodes = v.requireString(e, 'targetNodes');
    const [start, end] = parseRange(targetNodes, numNodes);
    for (let i = start; i <= end; i++) {
      if (covered[i]) throw clientError(`Node ${i} is covered by more than one node range.`);
      covered[i] = true;
    }
    const container = v.optionalObject(e, 'container');
    return { targetNodes, ...(container ? { container: validateContainer(container, 'EC2') } : {}) };
  });
  if (covered.some((c) => !c)) throw clientError('The node ranges must cover every node from 0 to numNodes - 1.');
  return { numNodes, mainNode, nodeRangeProperties };
}

/** One child record per node, with the container of its range and node overrides applied. */
export function nodeRecords(parent: JobRecord, props: NodeProperties, merge: (base: ContainerProperties, overrides: Input | undefined) => ContainerProperties, overrides: Input | undefined): JobRecord[] {
  const perRange = (v.optionalList(overrides ?? {}, 'nodePropertyOverrides') ?? []) as Input[];
  const children: JobRecord[] = [];
  for (let node = 0; node < props.numNodes; node++) {
    const range = props.nodeRangeProperties.find((r) => {
      const [start, end] = parseRange(r.targetNodes, props.numNodes);
      return node >= start && node <= end;
    });
    const override = perRange.find((o) => {
      const [start, end] = parseRange(String(o.targetNodes ?? ''), props.numNodes);
      return node >= start && node <= end;
    });
    const container = merge(range?.container ?? {}, (override?.containerOverrides as Input | undefined) ?? undefined);
    const { vcpus = 1, memory = 2048 } = resourcesOf(container);
    const jobId = `${parent.detail.jobId}#${node}`;
    children.push({
      detail: {
        ...parent.detail,
        jobId,
        jobArn: `${parent.detail.jobArn}#${node}`,
        container,
        nodeDetails: { nodeIndex: node, isMainNode: node === props.mainNode },
        attempts: [],
      },
      internal: { ...parent.internal, role: 'mnpNode', parentId: parent.detail.jobId, nodeIndex: node, numNodes: props.numNodes, mainNode: props.mainNode, vcpus, memory },
    });
  }
  return children;
}
