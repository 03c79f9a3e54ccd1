/**
 * The EC2 instance types a managed compute environment may launch (vCPUs, memory, GPUs, from
 * the Amazon EC2 instance-type specifications), what `instanceTypes` names mean to AWS Batch
 * (`optimal`, `default_x86_64`, `default_arm64`, a family such as `c5` = every size of it), and
 * the vCPU/memory combinations Fargate accepts (Batch API reference, ResourceRequirement).
 */

export interface InstanceType {
  name: string;
  vcpus: number;
  memoryMiB: number;
  gpus: number;
}

/**
 * Memory the ECS agent and system processes keep on every instance ("The default AWS Batch
 * compute resource AMI reserves 32 MiB of memory for the Amazon ECS container agent and other
 * critical system processes. This memory isn't available for job allocation." — Batch User
 * Guide, Compute resource memory management). A job asking for an instance's full nominal
 * memory therefore does not fit that instance.
 */
export const ECS_RESERVED_MEMORY_MIB = 32;

/** vCPUs of a size name, for families whose sizes follow the usual ladder. */
const SIZE_VCPUS: Record<string, number> = {
  medium: 1,
  large: 2,
  xlarge: 4,
  '2xlarge': 8,
  '4xlarge': 16,
  '8xlarge': 32,
  '9xlarge': 36,
  '10xlarge': 40,
  '12xlarge': 48,
  '16xlarge': 64,
  '18xlarge': 72,
  '24xlarge': 96,
  '32xlarge': 128,
  '48xlarge': 192,
};

/** A family whose memory is a fixed number of GiB per vCPU; `metal` sizes are listed with their vCPUs. */
interface LadderFamily {
  gibPerVcpu: number;
  sizes: string[];
  metal?: Record<string, number>;
}

const M5_SIZES = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'];
const C5_SIZES = ['large', 'xlarge', '2xlarge', '4xlarge', '9xlarge', '12xlarge', '18xlarge', '24xlarge'];
const GEN6I_SIZES = [...M5_SIZES, '32xlarge'];
const GEN7I_SIZES = [...M5_SIZES, '48xlarge'];
const GRAVITON_SIZES = ['medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];

const LADDERS: Record<string, LadderFamily> = {
  m4: { gibPerVcpu: 4, sizes: ['large', 'xlarge', '2xlarge', '4xlarge', '10xlarge', '16xlarge'] },
  r4: { gibPerVcpu: 7.625, sizes: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '16xlarge'] },
  m5: { gibPerVcpu: 4, sizes: M5_SIZES, metal: { metal: 96 } },
  c5: { gibPerVcpu: 2, sizes: C5_SIZES, metal: { metal: 96 } },
  r5: { gibPerVcpu: 8, sizes: M5_SIZES, metal: { metal: 96 } },
  m6i: { gibPerVcpu: 4, sizes: GEN6I_SIZES, metal: { metal: 128 } },
  c6i: { gibPerVcpu: 2, sizes: GEN6I_SIZES, metal: { metal: 128 } },
  r6i: { gibPerVcpu: 8, sizes: GEN6I_SIZES, metal: { metal: 128 } },
  m7i: { gibPerVcpu: 4, sizes: GEN7I_SIZES, metal: { 'metal-24xl': 96, 'metal-48xl': 192 } },
  c7i: { gibPerVcpu: 2, sizes: GEN7I_SIZES, metal: { 'metal-24xl': 96, 'metal-48xl': 192 } },
  r7i: { gibPerVcpu: 8, sizes: GEN7I_SIZES, metal: { 'metal-24xl': 96, 'metal-48xl': 192 } },
  m6g: { gibPerVcpu: 4, sizes: GRAVITON_SIZES, metal: { metal: 64 } },
  c6g: { gibPerVcpu: 2, sizes: GRAVITON_SIZES, metal: { metal: 64 } },
  r6g: { gibPerVcpu: 8, sizes: GRAVITON_SIZES, metal: { metal: 64 } },
  c7g: { gibPerVcpu: 2, sizes: GRAVITON_SIZES, metal: { metal: 64 } },
};

/** Families whose sizes do not follow a fixed ratio: [size, vCPUs, GiB, GPUs]. */
const IRREGULAR: Record<string, Array<[string, number, number, number]>> = {
  c4: [['large', 2, 3.75, 0], ['xlarge', 4, 7.5, 0], ['2xlarge', 8, 15, 0], ['4xlarge', 16, 30, 0], ['8xlarge', 36, 60, 0]],
  t3: [['nano', 2, 0.5, 0], ['micro', 2, 1, 0], ['small', 2, 2, 0], ['medium', 2, 4, 0], ['large', 2, 8, 0], ['xlarge', 4, 16, 0], ['2xlarge', 8, 32, 0]],
  g4dn: [['xlarge', 4, 16, 1], ['2xlarge', 8, 32, 1], ['4xlarge', 16, 64, 1], ['8xlarge', 32, 128, 1], ['12xlarge', 48, 192, 4], ['16xlarge', 64, 256, 1], ['metal', 96, 384, 8]],
  p3: [['2xlarge', 8, 61, 1], ['8xlarge', 32, 244, 4], ['16xlarge', 64, 488, 8]],
};

function buildCatalog(): Map<string, InstanceType[]> {
  const byFamily = new Map<string, InstanceType[]>();
  for (const [family, spec] of Object.entries(LADDERS)) {
    const sizes: Array<[string, number]> = [...spec.sizes.map((s): [string, number] => [s, SIZE_VCPUS[s] ?? 0]), ...Object.entries(spec.metal ?? {})];
    byFamily.set(
      family,
      sizes.map(([size, vcpus]) => ({ name: `${family}.${size}`, vcpus, memoryMiB: Math.round(vcpus * spec.gibPerVcpu * 1024), gpus: 0 })),
    );
  }
  for (const [family, rows] of Object.entries(IRREGULAR)) {
    byFamily.set(
      family,
      rows.map(([size, vcpus, gib, gpus]) => ({ name: `${family}.${size}`, vcpus, memoryMiB: Math.round(gib * 1024), gpus })),
    );
  }
  return byFamily;
}

const CATALOG = buildCatalog();

/**
 * What AWS Batch chooses from for the special names (ComputeResource.instanceTypes): `optimal`
 * has matched `default_x86_64` since 11/01/2025 (before: the c4, m4, r4, c5, m5 and r5 families).
 */
const BUNDLES: Record<string, string[]> = {
  default_x86_64: ['m6i', 'c6i', 'r6i', 'c7i'],
  optimal: ['m6i', 'c6i', 'r6i', 'c7i'],
  default_arm64: ['m6g', 'c6g', 'r6g', 'c7g'],
};

/**
 * The instance types that `instanceTypes` allows. Names batchlink's catalog does not know are
 * returned in `unknown` (the caller then cannot bound the environment by them).
 */
export function resolveInstanceTypes(names: readonly string[]): { types: InstanceType[]; unknown: string[] } {
  const types = new Map<string, InstanceType>();
  const unknown: string[] = [];
  const addFamily = (family: string): boolean => {
    const members = CATALOG.get(family);
    for (const t of members ?? []) types.set(t.name, t);
    return members !== undefined;
  };
  for (const name of names) {
    const bundle = BUNDLES[name];
    if (bundle) {
      bundle.forEach(addFamily);
      continue;
    }
    const [family = '', size] = name.split('.', 2);
    if (size === undefined) {
      if (!addFamily(family)) unknown.push(name);
      continue;
    }
    const type = CATALOG.get(family)?.find((t) => t.name === name);
    if (type) types.set(name, type);
    else unknown.push(name);
  }
  return { types: [...types.values()], unknown };
}

/** Memory a job can be given on one instance of this type. */
export function usableMemoryMiB(type: InstanceType): number {
  return type.memoryMiB - ECS_RESERVED_MEMORY_MIB;
}

/** MiB from `min` to `max` in steps of `step`. */
function mibRange(min: number, max: number, step: number): number[] {
  const values: number[] = [];
  for (let m = min; m <= max; m += step) values.push(m);
  return values;
}

/** Fargate's vCPU/memory combinations (Batch API reference, ResourceRequirement, type=VCPU). */
const FARGATE: Record<string, readonly number[]> = {
  '0.25': [512, 1024, 2048],
  '0.5': mibRange(1024, 4096, 1024),
  '1': mibRange(2048, 8192, 1024),
  '2': mibRange(4096, 16384, 1024),
  '4': mibRange(8192, 30720, 1024),
  '8': mibRange(16384, 61440, 4096),
  '16': mibRange(32768, 122880, 8192),
};

export const FARGATE_VCPU_VALUES = Object.keys(FARGATE);

/** Whether Fargate runs a job of `vcpus` and `memoryMiB`. */
export function isFargateCombination(vcpus: number, memoryMiB: number): boolean {
  return FARGATE[String(vcpus)]?.includes(memoryMiB) ?? false;
}

/** The memory values Fargate accepts with `vcpus`, for error messages. */
export function fargateMemoryValues(vcpus: number): readonly number[] {
  return FARGATE[String(vcpus)] ?? [];
}
