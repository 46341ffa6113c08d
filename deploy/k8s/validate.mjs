// Checks deploy/k8s's manifests (run by validate.sh, which installs the packages): every document parses; the core
// kinds and KEDA's validate against their API schemas; the operators' kinds have the fields Marsad relies on; and
// what refers to another object (a scaled target, a config map) finds it.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseAllDocuments } from "yaml";
import * as core from "kubernetes-models/v1";
import * as apps from "kubernetes-models/apps/v1";
import * as keda from "@kubernetes-models/keda/keda.sh/v1alpha1";

const schemas = {
  "v1/ConfigMap": core.ConfigMap,
  "v1/Secret": core.Secret,
  "v1/Service": core.Service,
  "apps/v1/Deployment": apps.Deployment,
  "apps/v1/StatefulSet": apps.StatefulSet,
  "keda.sh/v1alpha1/ScaledObject": keda.ScaledObject,
  "keda.sh/v1alpha1/TriggerAuthentication": keda.TriggerAuthentication,
};
// No schema package for the operators' own kinds in the registries CI reaches.
const requiredFields = {
  "rabbitmq.com/v1beta1/RabbitmqCluster": ["metadata.name", "spec.replicas"],
  "elasticsearch.k8s.elastic.co/v1/Elasticsearch": ["metadata.name", "spec.version", "spec.nodeSets"],
  "kibana.k8s.elastic.co/v1/Kibana": ["metadata.name", "spec.version", "spec.elasticsearchRef.name"],
};

const at = (object, path) => path.split(".").reduce((value, key) => value?.[key], object);
const problems = [];
const objects = [];
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (document.errors.length > 0) {
      problems.push(`${basename(file)}: ${document.errors.map((error) => error.message).join("; ")}`);
      continue;
    }
    const object = document.toJS();
    if (object) objects.push({ file: basename(file), object });
  }
}
for (const { file, object } of objects) {
  const kind = `${object.apiVersion}/${object.kind}`;
  const where = `${file}: ${object.kind} ${object.metadata?.name}`;
  if (object.metadata?.namespace !== "marsad") problems.push(`${where}: not in the marsad namespace`);
  if (schemas[kind]) {
    try {
      new schemas[kind](object).validate();
    } catch (error) {
      problems.push(`${where}: ${error.message}`);
    }
  } else if (requiredFields[kind]) {
    for (const field of requiredFields[kind]) {
      if (at(object, field) === undefined) problems.push(`${where}: ${field} missing`);
    }
  } else {
    problems.push(`${where}: no check for ${kind}`);
  }
}
const named = (kind, name) => objects.some(({ object }) => object.kind === kind && object.metadata?.name === name);
for (const { file, object } of objects) {
  if (object.kind === "ScaledObject" && !named("Deployment", object.spec.scaleTargetRef.name)) {
    problems.push(`${file}: ScaledObject ${object.metadata.name} scales ${object.spec.scaleTargetRef.name}, which is no Deployment here`);
  }
  for (const container of at(object, "spec.template.spec.containers") ?? []) {
    for (const source of container.envFrom ?? []) {
      if (source.configMapRef && !named("ConfigMap", source.configMapRef.name)) {
        problems.push(`${file}: ${object.metadata.name} reads config map ${source.configMapRef.name}, which is not here`);
      }
    }
  }
}
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
const checked = objects.filter(({ object }) => schemas[`${object.apiVersion}/${object.kind}`]).length;
console.log(`deploy/k8s: ${objects.length} objects parsed, ${checked} checked against their API schemas, ${objects.length - checked} (the operators' kinds) for the fields Marsad relies on`);
