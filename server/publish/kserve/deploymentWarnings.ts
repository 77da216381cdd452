// Things that will not stop a deployment but probably are not what the user
// meant. Returned as text for the CLI and editor to show next to the
// generated YAML; generateInferenceService throws only on real errors.
import { isLoopbackHost, parseReference } from '../reference';
import type { InferenceServiceInput } from './generateInferenceService';

export function deploymentWarnings(input: InferenceServiceInput): string[] {
  const { manifest, artifact } = input;
  const model = `${manifest.metadata.name} ${manifest.metadata.version}`;
  const k8s = manifest.deploy?.kubernetes ?? {};
  const out: string[] = [];
  try {
    const t = parseReference(artifact.reference);
    if (t.kind === 'registry' && isLoopbackHost(t.registry)) {
      out.push(
        `${model}: ${artifact.reference} is on a loopback address; inside a pod that address is the pod itself, so the storage initializer will not find the registry. Publish to a registry the cluster can reach.`,
      );
    }
  } catch {
    // An unparsable reference is an error that generateInferenceService reports.
  }
  if (manifest.serving?.hardware === 'any') {
    out.push(
      `${model}: serving.hardware is "any"; on Kubernetes a pod cannot ask for a GPU only when one is free, so it is deployed on CPU. Set hardware: gpu to request one.`,
    );
  }
  const canary = k8s.canaryPercent;
  if ((k8s.mode ?? 'serverless') === 'serverless' && canary !== undefined && canary < 100) {
    if (!input.previous || input.previous.digest === artifact.digest) {
      out.push(
        `${model}: deploy.kubernetes.canaryPercent ${canary} has no effect on this rollout: there is no previous revision to split traffic with, so this one takes all traffic.`,
      );
    } else if (canary === 0) {
      out.push(`${model}: deploy.kubernetes.canaryPercent is 0: the new revision starts but receives no traffic until it is promoted.`);
    }
  }
  if (artifact.gated === false) {
    out.push(`${model}: the artifact was published with --force and did not pass every gate (${artifact.gates ?? 'no gate summary'}).`);
  }
  return out;
}
