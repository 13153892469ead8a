/**
 * The k6-operator's TestRun (k6.io/v1alpha1), as its Go types declare it: grafana/k6-operator
 * api/v1alpha1/testrun_types.go (TestRunSpec, K6Script, K6Configmap, K6VolumeClaim, Pod,
 * InitContainer, K6Scuttle, CloudSpec; read at commit 0541ec5050d17308499bd3447213a5d102a122c6).
 * controller-gen makes the CRD's openAPIV3Schema (config/crd/bases/k6.io_testruns.yaml) from these
 * types: a field without `omitempty` is required (script, parallelism; configMap.name), every other
 * one optional, and the corev1 fields carry the core schemas, here the kubernetes-models types of
 * the same objects. Unknown fields are errors, as for the API server's strict field validation.
 * Re-read that file when pinning a newer operator.
 */
import type { IObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import type { IAffinity } from 'kubernetes-models/v1/Affinity';
import type { IContainerPort } from 'kubernetes-models/v1/ContainerPort';
import type { IEnvFromSource } from 'kubernetes-models/v1/EnvFromSource';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { ILocalObjectReference } from 'kubernetes-models/v1/LocalObjectReference';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { IToleration } from 'kubernetes-models/v1/Toleration';
import type { ITopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';

export interface K6InitContainer {
  name?: string; image?: string; env?: IEnvVar[]; envFrom?: IEnvFromSource[]; command?: string[]; args?: string[];
  workingDir?: string; volumeMounts?: IVolumeMount[]; resources?: IResourceRequirements; restartPolicy?: string;
}

/** `Pod`: the runner, starter and initializer pods' settings. */
export interface K6Pod {
  disabled?: boolean; affinity?: IAffinity; automountServiceAccountToken?: string; env?: IEnvVar[]; image?: string;
  imagePullSecrets?: ILocalObjectReference[]; imagePullPolicy?: 'Always' | 'Never' | 'IfNotPresent';
  metadata?: { annotations?: Record<string, string>; labels?: Record<string, string> };
  nodeSelector?: Record<string, string>; tolerations?: IToleration[]; topologySpreadConstraints?: ITopologySpreadConstraint[];
  resources?: IResourceRequirements; serviceAccountName?: string; securityContext?: IPodSecurityContext;
  containerSecurityContext?: ISecurityContext; envFrom?: IEnvFromSource[]; readinessProbe?: IProbe; livenessProbe?: IProbe;
  initContainers?: K6InitContainer[]; volumes?: IVolume[]; volumeMounts?: IVolumeMount[]; priorityClassName?: string; schedulerName?: string;
}

export interface TestRunSpec {
  script: {
    volumeClaim?: { name: string; file?: string; readOnly?: boolean };
    configMap?: { name: string; file?: string };
    localFile?: string;
  };
  parallelism: number;
  separate?: boolean;
  arguments?: string;
  ports?: IContainerPort[];
  initializer?: K6Pod;
  starter?: K6Pod;
  runner?: K6Pod;
  quiet?: string;
  paused?: string;
  scuttle?: {
    enabled?: string; envoyAdminApi?: string; neverKillIstio?: boolean; neverKillIstioOnFailure?: boolean; disableLogging?: boolean;
    startWithoutEnvoy?: boolean; waitForEnvoyTimeout?: string; istioQuitApi?: string; genericQuitEndpoint?: string; quitWithoutEnvoyTimeout?: string;
  };
  cleanup?: 'post';
  cloud?: { token?: string; testRunId?: string; stream?: boolean };
  testRunId?: string;
  token?: string;
}

export interface ITestRun {
  apiVersion: 'k6.io/v1alpha1';
  kind: 'TestRun';
  metadata?: IObjectMeta;
  spec?: TestRunSpec;
}

/** The corev1 objects inside a TestRun's pods, by field: validated at run time by their kubernetes-models model. */
export const POD_CORE_FIELDS: Record<string, { model: string; array: boolean }> = {
  affinity: { model: 'Affinity', array: false },
  env: { model: 'EnvVar', array: true },
  imagePullSecrets: { model: 'LocalObjectReference', array: true },
  tolerations: { model: 'Toleration', array: true },
  topologySpreadConstraints: { model: 'TopologySpreadConstraint', array: true },
  resources: { model: 'ResourceRequirements', array: false },
  securityContext: { model: 'PodSecurityContext', array: false },
  containerSecurityContext: { model: 'SecurityContext', array: false },
  envFrom: { model: 'EnvFromSource', array: true },
  readinessProbe: { model: 'Probe', array: false },
  livenessProbe: { model: 'Probe', array: false },
  volumes: { model: 'Volume', array: true },
  volumeMounts: { model: 'VolumeMount', array: true },
};
