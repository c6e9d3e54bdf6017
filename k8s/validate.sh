#!/usr/bin/env bash
# Renders k8s/base and every overlay under k8s/overlays with `kubectl kustomize`,
# checks each kind against the APIs listed below, parses the result with
# `kubectl create --dry-run=client`, and checks the deploy rules every workload
# must keep (non-root, read-only root, probes, limits, named ports, ...).
# Needs no cluster. Exits non-zero if any tree fails; exits 0 with a notice when
# kubectl is not installed.
#
#   k8s/validate.sh
set -euo pipefail

if ! command -v kubectl >/dev/null 2>&1; then
  echo "validate.sh: kubectl not found, skipping manifest validation (install kubectl >= 1.27 to run it)"
  exit 0
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# `kubectl create --dry-run=client` builds nothing on a server, but it still maps
# each kind to an API resource through discovery, even with --validate=false. To
# stay offline, point kubectl at an address nothing listens on and hand it a
# pre-filled discovery cache listing the API versions a Kubernetes 1.27+ server
# serves for the kinds used here; add a line when a manifest uses a new kind. A
# kind or apiVersion outside this list (a typo, or a beta API current Kubernetes
# no longer serves) is reported before kubectl runs.
# (Without this, kubectl would dial localhost:8080 -- possibly a local trademesh
# gateway -- or whatever cluster the current kubeconfig names.)
server_host="127.0.0.1:9"
cat >"$work/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: offline
    cluster:
      server: https://${server_host}
contexts:
  - name: offline
    context: {cluster: offline, user: offline}
users:
  - name: offline
    user: {token: offline}
current-context: offline
EOF

discovery="$work/cache/discovery/${server_host//:/_}"
mkdir -p "$discovery"

# group/version followed by kind:resource:namespaced triples.
api_resources=(
  "v1 Namespace:namespaces:false ServiceAccount:serviceaccounts:true ConfigMap:configmaps:true Secret:secrets:true Service:services:true"
  "apps/v1 Deployment:deployments:true StatefulSet:statefulsets:true"
  "autoscaling/v2 HorizontalPodAutoscaler:horizontalpodautoscalers:true"
  "policy/v1 PodDisruptionBudget:poddisruptionbudgets:true"
  "networking.k8s.io/v1 NetworkPolicy:networkpolicies:true"
)

groups=""
known_kinds=" "
for entry in "${api_resources[@]}"; do
  read -r gv kinds <<<"$entry"
  if [[ "$gv" == */* ]]; then group="${gv%/*}"; version="${gv#*/}"; else group=""; version="$gv"; fi
  gv_json="{\"groupVersion\":\"$gv\",\"version\":\"$version\"}"
  groups+="${groups:+,}{\"name\":\"$group\",\"versions\":[$gv_json],\"preferredVersion\":$gv_json}"

  resources=""
  for triple in $kinds; do
    IFS=: read -r kind plural namespaced <<<"$triple"
    known_kinds+="$gv/$kind "
    resources+="${resources:+,}{\"name\":\"$plural\",\"singularName\":\"$(tr '[:upper:]' '[:lower:]' <<<"$kind")\",\"namespaced\":$namespaced,\"kind\":\"$kind\",\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]}"
  done
  mkdir -p "$discovery/$gv"
  printf '{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"%s","resources":[%s]}\n' \
    "$gv" "$resources" >"$discovery/$gv/serverresources.json"
done
printf '{"kind":"APIGroupList","apiVersion":"v1","groups":[%s]}\n' "$groups" >"$discovery/servergroups.json"

offline_kubectl() {
  kubectl --kubeconfig "$work/kubeconfig" --cache-dir "$work/cache" --request-timeout=5s "$@"
}

# One line per broken rule; empty output means the tree keeps them all.
read -r -d '' rules <<'EOF' || true
{{- $obj := printf "%s/%s" .kind .metadata.name -}}
{{- if or (eq .kind "Deployment") (eq .kind "StatefulSet") -}}
  {{- $pod := .spec.template.spec -}}
  {{- if not $pod.securityContext.runAsNonRoot }}{{ $obj }}: pod securityContext.runAsNonRoot is not true
{{ end -}}
  {{- if not .spec.template.metadata.labels }}{{ $obj }}: pod template has no labels
{{ else if ne (printf "%v" (index .spec.template.metadata.labels "app.kubernetes.io/part-of")) "trademesh" }}{{ $obj }}: pod template lacks app.kubernetes.io/part-of=trademesh (cluster discovery selects on it)
{{ end -}}
  {{- range $pod.containers -}}
    {{- $c := printf "%s container %s" $obj .name -}}
    {{- if not .securityContext }}{{ $c }}: no securityContext
{{ else -}}
      {{- if not .securityContext.readOnlyRootFilesystem }}{{ $c }}: readOnlyRootFilesystem is not true
{{ end -}}
      {{- if ne (printf "%v" .securityContext.allowPrivilegeEscalation) "false" }}{{ $c }}: allowPrivilegeEscalation is not false
{{ end -}}
      {{- $dropsAll := false -}}
      {{- if .securityContext.capabilities -}}{{- range .securityContext.capabilities.drop -}}{{- if eq . "ALL" -}}{{- $dropsAll = true -}}{{- end -}}{{- end -}}{{- end -}}
      {{- if not $dropsAll }}{{ $c }}: capabilities do not drop ALL
{{ end -}}
    {{- end -}}
    {{- if not .startupProbe }}{{ $c }}: no startupProbe
{{ end -}}
    {{- if not .readinessProbe }}{{ $c }}: no readinessProbe
{{ end -}}
    {{- if not .livenessProbe }}{{ $c }}: no livenessProbe
{{ end -}}
    {{- if not .resources }}{{ $c }}: no resources
{{ else -}}
      {{- if not .resources.requests }}{{ $c }}: no resource requests
{{ end -}}
      {{- if not .resources.limits }}{{ $c }}: no resource limits
{{ else if not .resources.limits.memory }}{{ $c }}: no memory limit
{{ end -}}
    {{- end -}}
    {{- range .ports -}}{{- if not .name }}{{ $c }}: port {{ .containerPort }} has no name
{{ end -}}{{- end -}}
  {{- end -}}
{{- end -}}
{{- if eq .kind "Service" -}}
  {{- range .spec.ports -}}{{- if not .name }}{{ $obj }}: port {{ .port }} has no name
{{ end -}}{{- end -}}
  {{- if and (eq .metadata.name "trademesh-cluster") (not .spec.publishNotReadyAddresses) }}{{ $obj }}: publishNotReadyAddresses must be true, or no pod can discover a peer before it is ready
{{ end -}}
{{- end -}}
EOF

trees=("$here/base")
for overlay in "$here"/overlays/*/; do
  [[ -f "$overlay/kustomization.yaml" ]] && trees+=("${overlay%/}")
done

status=0
for tree in "${trees[@]}"; do
  name="${tree#"$here"/}"
  rendered="$work/${name//\//_}.yaml"

  if ! kubectl kustomize "$tree" >"$rendered" 2>"$work/err"; then
    echo "FAIL $name: kubectl kustomize"; sed 's/^/  /' "$work/err"; status=1; continue
  fi

  # Named here, before kubectl's own "unable to recognize ... connection refused".
  unknown="$(awk '/^---/ {v = ""; k = ""} /^apiVersion: / {v = $2} /^kind: / {k = $2}
                  v != "" && k != "" {print v "/" k; v = ""; k = ""}' "$rendered" \
             | sort -u | while read -r gvk; do
                 [[ "$known_kinds" == *" $gvk "* ]] || echo "$gvk"
               done)"
  if [[ -n "$unknown" ]]; then
    echo "FAIL $name: kinds a current Kubernetes does not serve (or missing from api_resources in validate.sh):"
    sed 's/^/  /' <<<"$unknown"; status=1; continue
  fi

  if ! offline_kubectl create --dry-run=client --validate=false -f "$rendered" -o name \
      >"$work/objects" 2>"$work/err"; then
    echo "FAIL $name: kubectl create --dry-run=client"; sed 's/^/  /' "$work/err"; status=1; continue
  fi

  offline_kubectl create --dry-run=client --validate=false -f "$rendered" \
    -o go-template="$rules" >"$work/broken"
  if [[ "$name" == overlays/* ]]; then
    # Overlays deploy released or locally built images: every image has a tag.
    grep -nE '^[[:space:]]*image: [^:@]+$' "$rendered" | sed "s/^/overlay image without a tag: /" >>"$work/broken" || true
  fi
  if [[ -s "$work/broken" ]]; then
    echo "FAIL $name: deploy rules"; sed 's/^/  /' "$work/broken"; status=1; continue
  fi

  echo "ok   $name: $(wc -l <"$work/objects" | tr -d ' ') objects ($(sort "$work/objects" | cut -d/ -f1 | uniq -c | awk '{printf "%s%s %s", sep, $1, $2; sep=", "}'))"
done

exit "$status"
