// The storageUri of a published artifact: always pinned to the manifest
// digest, so the cluster serves exactly the bytes that passed the gates even
// if the tag is moved later.
import { isDigest } from '../digest';
import { ModelReferenceError, parseReference, type RegistryTarget } from '../reference';
import { KServeError } from './kserveError';
import { MODELGATE_URI_SCHEME } from './generateStorageContainer';

export interface ArtifactLocation {
  /** `modelgate://host[:port]/repo@sha256:…` */
  storageUri: string;
  target: RegistryTarget;
}

export function storageUriFor(reference: string, digest: string, model: string): ArtifactLocation {
  if (!isDigest(digest)) {
    throw new KServeError(
      `${model}: artifact digest "${digest}" is not sha256:<64 hex digits>; pass the digest the publish step printed for the model artifact`,
    );
  }
  let target;
  try {
    target = parseReference(reference);
  } catch (e) {
    const why = e instanceof ModelReferenceError ? e.message : String(e);
    throw new KServeError(`${model}: cannot deploy ${reference}: ${why}`, 'deploy.oci');
  }
  if (target.kind !== 'registry') {
    throw new KServeError(
      `${model}: ${reference} is a local OCI layout, which a Kubernetes cluster cannot read. ` +
        'Publish to a registry the cluster can reach (deploy.oci: oci://host/repo in model.yaml, or --to oci://…) and deploy that artifact.',
      'deploy.oci',
    );
  }
  if (target.digest && target.digest !== digest) {
    throw new KServeError(`${model}: ${reference} names digest ${target.digest} but the artifact digest is ${digest}; deploy the reference that was published`);
  }
  return { storageUri: `${MODELGATE_URI_SCHEME}${target.registry}/${target.repository}@${digest}`, target };
}
